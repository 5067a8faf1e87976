using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A host's ITransport (the host is its own transport: SimulatedHost implements ITransport with these, so that a
    /// million hosts hold no transport object each). Listening is immediate. Connecting takes a round trip: the SYN
    /// travels the link, the target decides (host up, not partitioned away, a listener with room), and the answer
    /// travels back; a refusal surfaces as PeerUnreachable one round trip after the attempt, as it would on a real network.
    /// </summary>
    static class SimulatedTransport
    {
        /// <summary>ITransport.ListenAsync on <paramref name="host"/>.</summary>
        public static Task<IListener> ListenAsync(SimulatedHost host, int port, CancellationToken cancellationToken)
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<IListener>(cancellationToken);
            if (!host.IsUp)
                return Task.FromException<IListener>(new PeerException(PeerErrorIds.NodeNotRunning, $"Host {host.Name} is down: Restart() it before listening."));
            try
            {
                return Task.FromResult<IListener>(host.AddListener(port));
            }
            catch (PeerException e)
            {
                return Task.FromException<IListener>(e);
            }
        }

        /// <summary>ITransport.ConnectAsync from <paramref name="source"/>.</summary>
        public static Task<IConnection> ConnectAsync(SimulatedNetwork network, SimulatedHost source, string host, int port, CancellationToken cancellationToken)
        {
            var connect = ConnectValueAsync(network, source, host, port, cancellationToken);
            return connect.IsCompletedSuccessfully ? Task.FromResult(connect.Result) : connect.AsTask();
        }

        /// <summary>As <see cref="ConnectAsync"/>, with the attempt itself as the ValueTask's source (no task per dial).</summary>
        public static ValueTask<IConnection> ConnectValueAsync(SimulatedNetwork network, SimulatedHost source, string host, int port, CancellationToken cancellationToken)
        {
            if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port to connect to is 1 to 65535.");
            if (cancellationToken.IsCancellationRequested) return new ValueTask<IConnection>(Task.FromCanceled<IConnection>(cancellationToken));
            if (!source.IsUp)
                return new ValueTask<IConnection>(Task.FromException<IConnection>(SimulatedNetwork.Unreachable(host, port, $"this host ({source.Name}) is down")));
            var attempt = new ConnectAttempt(network, source, host, port, cancellationToken);
            short token = attempt.Begin();
            attempt.Start();
            return new ValueTask<IConnection>(attempt, token);
        }

        /// <summary>One connection attempt in flight: SYN out, decision at the target, answer back.</summary>
        sealed class ConnectAttempt : IValueTaskSource<IConnection>
        {
            static readonly SendOrPostCallback SynArrivedCallback = s => ((ConnectAttempt)s).SynArrived();
            static readonly SendOrPostCallback AnswerArrivedCallback = s => ((ConnectAttempt)s).AnswerArrived();
            static readonly SendOrPostCallback CancelCallback = s => ((ConnectAttempt)s).Cancel();
            static readonly Action<object> OnCancel = s => ((ConnectAttempt)s).CancelFromToken();

            readonly SimulatedNetwork _network;
            readonly SimulatedHost _source;
            readonly int _sourceEpoch;
            readonly string _hostText;
            readonly int _port;
            readonly SimulatedHost _target;
            SimulatedStream _client;
            string _refusal;
            // Only what some attempts need, each in an object of its own: a network's build makes hundreds of thousands
            // of attempts with a token that cannot be cancelled, between hosts with no NAT between them.
            Cancellation _cancellation;   // null when the token cannot be cancelled
            Crossing _crossing;           // null when no NAT translates the attempt

            sealed class Cancellation
            {
                public readonly CancellationToken Token;
                public CancellationTokenRegistration Registration;
                public Cancellation(CancellationToken token) => Token = token;
            }

            // Across a NAT (see SimulatedNetwork.Nat.cs): the source port, and how the target will see the source.
            sealed class Crossing
            {
                public int SourcePort;
                public SimulatedHost SeenHost;
                public int SeenPort;
            }

            InlineValueTaskSourceCore<IConnection> _core;

            public ConnectAttempt(SimulatedNetwork network, SimulatedHost source, string host, int port, CancellationToken token)
            {
                _network = network;
                _source = source;
                _sourceEpoch = source.Epoch;
                _hostText = host;
                _port = port;
                if (token.CanBeCanceled) _cancellation = new Cancellation(token);
                _target = network.Resolve(host, source);
            }

            public short Begin() => _core.Begin();

            ValueTaskSourceStatus IValueTaskSource<IConnection>.GetStatus(short token) => _core.GetStatus(token);
            IConnection IValueTaskSource<IConnection>.GetResult(short token) => _core.GetResult(token);
            void IValueTaskSource<IConnection>.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags) =>
                _core.OnCompleted(continuation, state, token, flags);

            // The token may fire on any thread; the attempt's state belongs to the loop.
            void CancelFromToken()
            {
                var scheduler = _network.Scheduler;
                if (scheduler.IsRunning && !scheduler.IsRunningOnCurrentThread) scheduler.Enqueue(scheduler.Now, CancelCallback, this);
                else Cancel();
            }

            // Only a token that can be cancelled calls this (it has a Cancellation).
            void Cancel() => _core.TryComplete(null, new OperationCanceledException(_cancellation.Token));

            public void Start()
            {
                if (_cancellation != null) _cancellation.Registration = _cancellation.Token.Register(OnCancel, this);
                var scheduler = _network.Scheduler;
                if (_target == null)
                {
                    // Nobody has that address: the SYN goes nowhere and the attempt fails after a default round trip.
                    _refusal = "no host has that address in this simulation";
                    scheduler.Enqueue(scheduler.Now + 2 * _network.Options.Latency.Ticks, AnswerArrivedCallback, this);
                    return;
                }
                if (SimulatedNetwork.MayTranslate(_source, _target))
                {
                    var crossing = _crossing = new Crossing { SourcePort = _source.NextEphemeralPort() };
                    if (!_network.TranslateOut(_source, crossing.SourcePort, _target, _port, false, out crossing.SeenHost, out crossing.SeenPort, out _, out _refusal))
                    {
                        // A SYN to a private address or out of a full NAT goes nowhere either.
                        scheduler.Enqueue(scheduler.Now + 2 * _network.Options.Latency.Ticks, AnswerArrivedCallback, this);
                        return;
                    }
                }
                scheduler.Enqueue(scheduler.Now + _network.GetLink(_source, _target).LatencyTicks, SynArrivedCallback, this);
            }

            /// <summary>The host and port the SYN is for after the NAT's inbound half (the addressed ones without a NAT).</summary>
            bool Arrive(out SimulatedHost target, out int port)
            {
                target = _target;
                port = _port;
                var crossing = _crossing;
                return crossing == null || _network.TranslateIn(_source, _target, _port, crossing.SeenHost, crossing.SeenPort, false, out target, out port, out _refusal);
            }

            void SynArrived()
            {
                if (!_core.IsPending) return;
                if (!_target.IsUp) _refusal = $"host {_target.Name} is down";
                else if (!Arrive(out var target, out int port)) { /* a NAT dropped it: _refusal says why */ }
                else if (!target.IsUp) _refusal = $"host {target.Name} is down";
                else if (!_network.CanReach(_source, target)) _refusal = "the network is partitioned";
                else if (_source.Epoch != _sourceEpoch) _refusal = $"host {_source.Name} crashed while connecting";
                else
                {
                    var listener = target.FindListener(port);
                    if (listener == null)
                        _refusal = target.Nat != null && target.Nat.PublicHost == target
                            ? $"nothing listens on that port: {target.HostAddress} is a NAT and no mapping of port {port} leads inside"
                            : "nothing listens on that port";
                    else
                    {
                        var crossing = _crossing;
                        var (client, server) = crossing != null
                            ? _network.CreateConnection(_source, target, _source.HostAddress + ":" + crossing.SourcePort, crossing.SeenHost.HostAddress + ":" + crossing.SeenPort,
                                target.HostAddress + ":" + port, _target.HostAddress + ":" + _port)
                            : _network.CreateConnection(_source, target, port);
                        if (listener.TryOffer(server))
                        {
                            _client = client;
                            _network.Statistics.connectionsOpened++;
                        }
                        else
                        {
                            client.Reset("refused");
                            server.Reset("refused");
                            _refusal = "the listener's backlog is full";
                        }
                    }
                }
                var scheduler = _network.Scheduler;
                scheduler.Enqueue(scheduler.Now + _network.GetLink(_target, _source).LatencyTicks, AnswerArrivedCallback, this);
            }

            void AnswerArrived()
            {
                _cancellation?.Registration.Dispose();
                if (_client == null)
                {
                    _network.Statistics.connectsRefused++;
                    _core.TryComplete(null, SimulatedNetwork.Unreachable(_hostText, _port, _refusal));
                    return;
                }
                if (_source.Epoch != _sourceEpoch)
                {
                    // The caller's process is gone: the accepted end sees its peer vanish.
                    _client.ResetBoth("The host crashed.", "The connection was reset: the peer crashed.");
                    return;
                }
                // Cancelled meanwhile: the server already accepted, so close our end properly.
                if (!_core.TryComplete(_client, null)) _client.Dispose();
            }
        }
    }
}
