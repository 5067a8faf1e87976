using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Chord
{
    // Lifecycle: start (a one-node ring), join through any member, and seeding a pre-computed routing state for large
    // simulated rings. Leaving is in ChordNode.Leave.cs.
    public sealed partial class ChordNode
    {
        // Where a client (or a node about to join) enters the ring.
        ChordContact _entry;
        IPEndPoint _entryEndPoint;
        bool _startingForJoin;

        protected override Task OnStartAsync(CancellationToken cancellationToken)
        {
            var address = IPAddress.Parse(Runtime.HostAddress);
            if (address.AddressFamily != AddressFamily.InterNetwork && !address.IsIPv4MappedToIPv6)
                throw new PeerException(PeerErrorIds.ChordJoinFailed, $"Chord's wire carries IPv4 nodes only; this host's address is {Runtime.HostAddress}.");
            var socket = Runtime.Datagrams.Bind(_requestedPort, OnDatagram);
            var endPoint = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, socket.Port);
            lock (_gate)
            {
                _socket = socket;
                _self = new ChordContact(_options.ExplicitId ?? ChordId.FromEndPoint(endPoint.Address + ":" + endPoint.Port), endPoint);
                _successors = new[] { _self };
                // A ring of one (the paper's create): no predecessor, itself as successor.
                if (!_options.ClientOnly && !_startingForJoin) _inRing = true;
            }
            EndPoint = endPoint.Address + ":" + endPoint.Port;
            if (Runtime.IsSimulated)
            {
                // Deterministic and free: a simulated host's random source costs ~330 bytes, a million of them a third
                // of a gigabyte. The id is as good a seed as any inside one seeded run.
                var id = _self.Id.ToBytes();
                _tokenSecret = BitConverter.ToUInt64(id, 4) ^ 0x9E3779B97F4A7C15UL;
                _nextTransaction = (ushort)(id[18] << 8 | id[19]);
            }
            else
            {
                // Live, tokens must be unguessable: a secret from the runtime's random source.
                var tokenBytes = new byte[8];
                Runtime.Random.NextBytes(tokenBytes);
                _tokenSecret = BitConverter.ToUInt64(tokenBytes, 0);
                _nextTransaction = (ushort)Runtime.Random.Next(65536);
            }
            StartMaintenance();
            return Task.CompletedTask;
        }

        protected override Task OnStopAsync()
        {
            StopMaintenance();
            IDatagramSocket socket;
            lock (_gate)
            {
                socket = _socket;
                _socket = null;
                _inRing = false;
            }
            socket?.Dispose();
            AbandonPending();
            return Task.CompletedTask;
        }

        void RequireRunning()
        {
            if (State != NodeState.Running) throw new PeerException(PeerErrorIds.NodeNotRunning, $"Chord node '{Name}' is not running.");
        }

        /// <summary>
        /// Joins the ring that <paramref name="bootstrap"/> belongs to (any member): looks up this node's successor
        /// through it, takes the keys in (predecessor, self] from that successor, and notifies it; stabilization does
        /// the rest. Starts the node first when it has not started. A ClientOnly node only remembers the bootstrap as
        /// its way into the ring. Throws PeerException ChordJoinFailed when the bootstrap does not answer.
        /// </summary>
        public async Task JoinAsync(IPEndPoint bootstrap, CancellationToken cancellationToken = default)
        {
            if (bootstrap == null) throw new ArgumentNullException(nameof(bootstrap));
            if (State == NodeState.Stopped)
            {
                _startingForJoin = true;
                await StartAsync(cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            }
            RequireRunning();
            var ping = await QueryAsync(bootstrap, KrpcMessage.Query(KrpcMethod.Ping, _self.Id), _options.RpcTimeout, _options.RpcRetries + 2, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (ping == null || ping.Kind != KrpcKind.Response)
                throw new PeerException(PeerErrorIds.ChordJoinFailed, $"Chord node '{Name}' cannot join through {bootstrap}: it does not answer.");
            lock (_gate)
            {
                _entry = new ChordContact(ping.SenderId, bootstrap);
                _entryEndPoint = bootstrap;
                _inRing = false; // route through the bootstrap while joining
            }
            if (_options.ClientOnly) return;

            var lookup = new ChordLookupResult { KeyId = _self.Id, Mode = ChordLookupMode.Iterative };
            await IterativeAsync(_self.Id, lookup, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (!lookup.Succeeded)
                throw new PeerException(PeerErrorIds.ChordJoinFailed, $"Chord node '{Name}' cannot join through {bootstrap}: {lookup.Failure}.");
            var successor = lookup.Owner;
            if (successor.Id == _self.Id && !successor.EndPoint.Equals(_self.EndPoint))
                throw new PeerException(PeerErrorIds.ChordJoinFailed, $"Chord node '{Name}' cannot join: {successor.EndPoint} already has id {_self.Id.ToHex()}.");
            lock (_gate)
            {
                SetPredecessor(null);
                _fingers.Clear();
                SetSuccessors(successor, lookup.OwnerSuccessors);
                _inRing = true;
            }
            FlushEvents();
            // Our keys: (successor's predecessor, self] moves to us; the successor keeps its copies as a replica.
            var before = await QueryAsync(successor.EndPoint, KrpcMessage.Query(KrpcMethod.GetPredecessor, _self.Id), _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            var from = before?.Node != null && before.Node.Id != _self.Id ? before.Node.Id : successor.Id;
            await PullKeysAsync(successor, from, _self.Id, "Join", cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            await NotifyAsync(successor, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
        }

        /// <summary>
        /// Sets the routing state directly (a pre-computed ring, for builders of large simulations), skipping joins:
        /// <paramref name="fingers"/> holds up to 160 entries, index i − 1 for finger i (null = unknown). The node
        /// must have started (it needs its endpoint); it counts as a ring member from now on. Timers keep running.
        /// </summary>
        public void SeedRoutingState(ChordContact predecessor, IReadOnlyList<ChordContact> successors, IReadOnlyList<ChordContact> fingers)
        {
            if (_self == null) throw new InvalidOperationException($"Start Chord node '{Name}' before seeding its routing state.");
            lock (_gate)
            {
                if (predecessor != null && predecessor.Id == _self.Id) predecessor = null;
                if (predecessor == null) { if (_predecessors != null) Array.Clear(_predecessors, 0, _predecessors.Length); }
                else
                {
                    if (_predecessors == null) _predecessors = new ChordContact[Math.Max(1, _options.Replicas)];
                    Array.Clear(_predecessors, 0, _predecessors.Length);
                    _predecessors[0] = predecessor;
                }
                if (successors != null && successors.Count > 0)
                {
                    // Taken as given (shared instances, no copy per entry beyond the array), trimmed to r.
                    int n = Math.Min(successors.Count, _options.SuccessorListLength);
                    var list = new ChordContact[n];
                    for (int i = 0; i < n; i++) list[i] = successors[i];
                    _successors = list;
                }
                _fingers.Clear();
                if (fingers != null)
                    for (int i = 0; i < fingers.Count && i < ChordId.Bits; i++) _fingers.Set(i, fingers[i]);
                _fingers.Trim();
                _inRing = !_options.ClientOnly;
                _pendingEvents?.Clear();
            }
        }
    }
}
