using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using System.Reactive.Concurrency;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// One machine in a simulation, and the IPeerRuntime its nodes run on: a virtual address, its own seeded random
    /// source, in-memory storage, the shared virtual clock, and a transport over the simulated network.
    /// Crash() kills it like pulling the plug (connections reset at the peers, listeners close, its timers never
    /// fire); Restart() brings the machine back with its storage, and its nodes must be started anew.
    /// Like the rest of the simulation, call these on the simulation's loop or while it is idle.
    /// </summary>
    /// <remarks>
    /// The host is also its own clock and stream transport (and datagram transport): they hold nothing of their own
    /// beyond the host and the simulation, and an object each would cost every host of a big simulation two more.
    /// </remarks>
    public sealed class SimulatedHost : IPeerRuntime, IDatagramTransport, IClock, IStateClock, ITransport, IValueConnectTransport
    {
        const int FirstListenPort = 1024;
        const int FirstEphemeralPort = 49152;

        readonly Simulation _simulation;
        readonly SimulatedNetwork _network;
        // Everything below is made on first use, so that an idle host in a million-host simulation costs little.
        // Listeners as a list through SimulatedListener.NextOnHost, as datagram sockets are: a host listens on one port
        // or a few, and a dictionary would cost every host of a big simulation its entries and buckets.
        SimulatedListener _listeners;
        // Open connection ends, as a list through the streams themselves (SimulatedStream.TrackedNext, by their numbers
        // in the ConnectionTable; -1: none): no set per host.
        int _firstStream = -1;
        int _streamCount;
        IScheduler _scheduler;
        IRandomSource _random;
        MemoryFileStorage _storage;
        int _nextListenPort = FirstListenPort;
        int _nextEphemeralPort = FirstEphemeralPort;
        SimulatedDatagramSocket _datagramSockets;
        IPAddress _ipAddress;

        internal SimulatedHost(Simulation simulation, SimulatedNetwork network, string name, int index, SimulatedNat behind = null)
        {
            _simulation = simulation;
            _network = network;
            Name = name;
            Index = index;
            Nat = behind;
            HostAddress = behind == null ? AddressFor(index) : PrivateAddressFor(index);
        }

        public string Name { get; }
        /// <summary>The order in which the host was added, from 0.</summary>
        public int Index { get; }
        public Simulation Simulation => _simulation;
        internal SimulatedNetwork Network => _network;
        /// <summary>The shared virtual clock as this host sees it: its timers die with it when it crashes (the host itself).</summary>
        public IClock Clock => this;
        /// <summary>Seeded from the simulation's seed and the host's name alone, so when it is first used changes nothing.</summary>
        public IRandomSource Random => _random ?? (_random = new HostRandom(SeedDerivation.Derive(_simulation.Options.Seed, "host/", Name)));
        /// <summary>Streams over the simulated network (the host itself: see SimulatedTransport).</summary>
        public ITransport Transport => this;
        /// <summary>Datagram sockets on this host (the host is its own datagram transport, so an idle host pays nothing for it).</summary>
        public IDatagramTransport Datagrams => this;
        public IFileStorage Storage => MemoryStorage;
        /// <summary>The same storage, with helpers to put files in and read them back.</summary>
        public MemoryFileStorage MemoryStorage => _storage ?? (_storage = new MemoryFileStorage(() => _simulation.Now.UtcDateTime));
        public IScheduler Scheduler => _scheduler ?? (_scheduler = new VirtualTimeRxScheduler(_simulation, this));
        public string HostAddress { get; }
        public bool IsSimulated => true;
        public bool IsUp { get; private set; } = true;
        /// <summary>Ports this host listens on now, ascending.</summary>
        public IReadOnlyList<int> ListeningPorts => Listeners().Select(l => l.Port).OrderBy(p => p).ToList();
        /// <summary>Connection ends of this host that are still open.</summary>
        public int OpenConnectionCount => _streamCount;

        /// <summary>The NAT this host sits behind, or, for a NAT box, its own NAT; null for a plain public host.</summary>
        internal SimulatedNat Nat;

        /// <summary>True for a host with a private address behind a NAT (see Simulation.AddHost(name, nat)).</summary>
        public bool IsBehindNat => Nat != null && Nat.PublicHost != this;

        /// <summary>The way out of this host for every destination without an override; made on its first send.</summary>
        internal SimulatedLink Uplink;

        /// <summary>The host's address as an IPAddress, made when first needed.</summary>
        internal IPAddress IPAddress => _ipAddress ?? (_ipAddress = IPAddress.Parse(HostAddress));

        /// <summary>Changes on every crash and restart: timers and connects begun in an earlier life are void.</summary>
        internal int Epoch { get; private set; }

        /// <summary>Kills every connection and listener of this host; its storage survives.</summary>
        public void Crash()
        {
            if (!IsUp) return;
            IsUp = false;
            Epoch++;
            foreach (var listener in Listeners().OrderBy(l => l.Port).ToList()) listener.Dispose();
            while (_datagramSockets != null) _datagramSockets.Dispose();
            foreach (var stream in OpenStreams())
            {
                stream.ResetBoth($"Host {Name} crashed.", "The connection was reset: the peer crashed.");
            }
        }

        /// <summary>Brings the host back up with its storage; nodes that ran on it must be started again.</summary>
        public void Restart()
        {
            if (IsUp) return;
            IsUp = true;
            Epoch++;
        }

        public override string ToString() => $"{Name} ({HostAddress}{(IsUp ? "" : ", down")})";

        DateTimeOffset IClock.Now => _simulation.Now;
        Task IClock.Delay(TimeSpan delay, CancellationToken cancellationToken) => SimulatedClock.Delay(_simulation, this, delay, cancellationToken);
        IDisposable IClock.Schedule(TimeSpan delay, Action action) => SimulatedClock.Schedule(_simulation, this, delay, action);
        IDisposable IStateClock.Schedule(TimeSpan delay, Action<object> action, object state) => SimulatedClock.Schedule(_simulation, this, delay, action, state);

        Task<IListener> ITransport.ListenAsync(int port, CancellationToken cancellationToken) => SimulatedTransport.ListenAsync(this, port, cancellationToken);
        Task<IConnection> ITransport.ConnectAsync(string host, int port, CancellationToken cancellationToken) =>
            SimulatedTransport.ConnectAsync(_network, this, host, port, cancellationToken);
        ValueTask<IConnection> IValueConnectTransport.ConnectValueAsync(string host, int port, CancellationToken cancellationToken) =>
            SimulatedTransport.ConnectValueAsync(_network, this, host, port, cancellationToken);

        /// <summary>10.x.y.z from the index, skipping nothing clever: unique for 16 million hosts, never dialled.</summary>
        internal static string AddressFor(int index)
        {
            int n = index + 1;
            return DottedQuad(10, (n >> 16) & 255, (n >> 8) & 255, n & 255);
        }

        // "a.b.c.d" as one string (a concatenation of seven parts made an array of them, and a string per number past
        // the runtime's cached ones, for every host of a big simulation).
        static string DottedQuad(int a, int b, int c, int d)
        {
            var text = t_quad ?? (t_quad = new char[15]);
            int length = 0;
            Append(text, ref length, a);
            text[length++] = '.';
            Append(text, ref length, b);
            text[length++] = '.';
            Append(text, ref length, c);
            text[length++] = '.';
            Append(text, ref length, d);
            return new string(text, 0, length);
        }

        [ThreadStatic] static char[] t_quad;

        // A number from 0 to 255 in decimal.
        static void Append(char[] text, ref int length, int octet)
        {
            if (octet >= 100) text[length++] = (char)('0' + octet / 100);
            if (octet >= 10) text[length++] = (char)('0' + octet / 10 % 10);
            text[length++] = (char)('0' + octet % 10);
        }

        /// <summary>
        /// 172.16-31.y.z from the index for a host behind a NAT: private, never overlapping the public 10.x.y.z, and
        /// unique across the simulation (for a million hosts), so an address still names one host.
        /// </summary>
        internal const int MaxPrivateIndex = (1 << 20) - 2;

        internal static string PrivateAddressFor(int index)
        {
            if (index > MaxPrivateIndex) throw new System.InvalidOperationException($"Hosts behind a NAT have indexes up to {MaxPrivateIndex}: add them earlier.");
            int n = index + 1;
            return DottedQuad(172, 16 + ((n >> 16) & 15), (n >> 8) & 255, n & 255);
        }

        internal SimulatedListener AddListener(int port)
        {
            if (port == 0) port = NextFreePort();
            else if (FindListener(port) != null)
                throw new PeerException(PeerErrorIds.PortInUse, $"Port {port} on {Name} ({HostAddress}) is already in use: choose another -Port, or -Port 0 for any free port.");
            var listener = new SimulatedListener(this, port, _network.Options.ListenBacklog);
            listener.NextOnHost = _listeners;
            _listeners = listener;
            return listener;
        }

        IDatagramSocket IDatagramTransport.Bind(int port, DatagramReceiver receiver)
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            if (receiver == null) throw new ArgumentNullException(nameof(receiver));
            if (!IsUp) throw new PeerException(PeerErrorIds.NodeNotRunning, $"Host {Name} is down: Restart() it before binding.");
            if (port == 0) port = NextFreeDatagramPort();
            else if (FindDatagramSocket(port) != null)
                throw new PeerException(PeerErrorIds.PortInUse, $"UDP port {port} on {Name} ({HostAddress}) is already in use: choose another -Port, or -Port 0 for any free port.");
            var socket = new SimulatedDatagramSocket(_network, this, port, receiver) { NextOnHost = _datagramSockets };
            _datagramSockets = socket;
            return socket;
        }

        Task<IPEndPoint> IDatagramTransport.ResolveAsync(string host, int port, CancellationToken cancellationToken)
        {
            if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port to send to is 1 to 65535.");
            if (IPAddress.TryParse((host ?? "").Trim('[', ']'), out var literal)) return Task.FromResult(new IPEndPoint(literal, port));
            var target = _network.Resolve(host, this);
            return target == null
                ? Task.FromException<IPEndPoint>(SimulatedNetwork.Unreachable(host, port, "no host has that name in this simulation"))
                : Task.FromResult(new IPEndPoint(target.IPAddress, port));
        }

        internal SimulatedDatagramSocket FindDatagramSocket(int port)
        {
            for (var s = _datagramSockets; s != null; s = s.NextOnHost)
                if (s.Port == port) return s;
            return null;
        }

        internal void RemoveDatagramSocket(SimulatedDatagramSocket socket)
        {
            if (_datagramSockets == socket) { _datagramSockets = socket.NextOnHost; return; }
            for (var s = _datagramSockets; s != null; s = s.NextOnHost)
                if (s.NextOnHost == socket) { s.NextOnHost = socket.NextOnHost; return; }
        }

        /// <summary>UDP ports are their own space, as on a real host: the first free one from 1024.</summary>
        int NextFreeDatagramPort()
        {
            for (int port = FirstListenPort; port <= 65535; port++)
                if (FindDatagramSocket(port) == null) return port;
            throw new PeerException(PeerErrorIds.PortInUse, $"Host {Name} has no free UDP port left.");
        }

        internal SimulatedListener FindListener(int port)
        {
            for (var l = _listeners; l != null; l = l.NextOnHost)
                if (l.Port == port) return l;
            return null;
        }

        List<SimulatedListener> Listeners()
        {
            var list = new List<SimulatedListener>();
            for (var l = _listeners; l != null; l = l.NextOnHost) list.Add(l);
            return list;
        }

        internal void RemoveListener(SimulatedListener listener)
        {
            if (_listeners == listener) { _listeners = listener.NextOnHost; listener.NextOnHost = null; return; }
            for (var l = _listeners; l != null; l = l.NextOnHost)
                if (l.NextOnHost == listener) { l.NextOnHost = listener.NextOnHost; listener.NextOnHost = null; return; }
        }

        int NextFreePort()
        {
            for (int tries = 0; tries < 65536 - FirstListenPort; tries++)
            {
                int port = _nextListenPort;
                _nextListenPort = port == 65535 ? FirstListenPort : port + 1;
                if (FindListener(port) == null) return port;
            }
            throw new PeerException(PeerErrorIds.PortInUse, $"Host {Name} has no free port left.");
        }

        internal int NextEphemeralPort()
        {
            int port = _nextEphemeralPort;
            _nextEphemeralPort = port == 65535 ? FirstEphemeralPort : port + 1;
            return port;
        }

        internal void Track(SimulatedStream stream)
        {
            if (stream.IsTracked) return;
            stream.IsTracked = true;
            stream.TrackedPrevious = -1;
            stream.TrackedNext = _firstStream;
            if (_firstStream >= 0) Tracked(_firstStream).TrackedPrevious = stream.End;
            _firstStream = stream.End;
            _streamCount++;
        }

        internal void Untrack(SimulatedStream stream)
        {
            if (!stream.IsTracked) return;
            stream.IsTracked = false;
            if (stream.TrackedPrevious >= 0) Tracked(stream.TrackedPrevious).TrackedNext = stream.TrackedNext;
            else _firstStream = stream.TrackedNext;
            if (stream.TrackedNext >= 0) Tracked(stream.TrackedNext).TrackedPrevious = stream.TrackedPrevious;
            stream.TrackedPrevious = stream.TrackedNext = -1;
            _streamCount--;
        }

        // A tracked end by its number: its entry in the ConnectionTable stays until it is untracked (SimulatedNetwork.Untrack).
        SimulatedStream Tracked(int end) => _network.Connections.At(end);

        /// <summary>A snapshot in creation order, so resets happen in the same order on every run.</summary>
        internal List<SimulatedStream> OpenStreams()
        {
            var list = new List<SimulatedStream>(_streamCount);
            for (int end = _firstStream; end >= 0; end = Tracked(end).TrackedNext) list.Add(Tracked(end));
            list.Sort((a, b) => a.Id.CompareTo(b.Id));
            return list;
        }
    }
}
