using System;
using System.Collections.Generic;
using System.Linq;
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
    public sealed class SimulatedHost : IPeerRuntime
    {
        const int FirstListenPort = 1024;
        const int FirstEphemeralPort = 49152;

        readonly Simulation _simulation;
        readonly SimulatedNetwork _network;
        readonly Dictionary<int, SimulatedListener> _listeners = new Dictionary<int, SimulatedListener>();
        readonly HashSet<SimulatedStream> _streams = new HashSet<SimulatedStream>();
        int _nextListenPort = FirstListenPort;
        int _nextEphemeralPort = FirstEphemeralPort;

        internal SimulatedHost(Simulation simulation, SimulatedNetwork network, string name, int index)
        {
            _simulation = simulation;
            _network = network;
            Name = name;
            Index = index;
            HostAddress = AddressFor(index);
            Clock = new SimulatedClock(simulation, this);
            Scheduler = new VirtualTimeRxScheduler(simulation, this);
            Random = new SeededRandom(SeedDerivation.Derive(simulation.Options.Seed, "host/" + name));
            MemoryStorage = new MemoryFileStorage(() => simulation.Now.UtcDateTime);
            Transport = new SimulatedTransport(this, network);
        }

        public string Name { get; }
        /// <summary>The order in which the host was added, from 0.</summary>
        public int Index { get; }
        public Simulation Simulation => _simulation;
        public IClock Clock { get; }
        public IRandomSource Random { get; }
        public ITransport Transport { get; }
        public IFileStorage Storage => MemoryStorage;
        /// <summary>The same storage, with helpers to put files in and read them back.</summary>
        public MemoryFileStorage MemoryStorage { get; }
        public IScheduler Scheduler { get; }
        public string HostAddress { get; }
        public bool IsSimulated => true;
        public bool IsUp { get; private set; } = true;
        /// <summary>Ports this host listens on now, ascending.</summary>
        public IReadOnlyList<int> ListeningPorts => _listeners.Keys.OrderBy(p => p).ToList();
        /// <summary>Connection ends of this host that are still open.</summary>
        public int OpenConnectionCount => _streams.Count;

        /// <summary>Changes on every crash and restart: timers and connects begun in an earlier life are void.</summary>
        internal int Epoch { get; private set; }

        /// <summary>Kills every connection and listener of this host; its storage survives.</summary>
        public void Crash()
        {
            if (!IsUp) return;
            IsUp = false;
            Epoch++;
            foreach (var listener in _listeners.Values.OrderBy(l => l.Port).ToList()) listener.Dispose();
            foreach (var stream in OpenStreams())
            {
                stream.Reset($"Host {Name} crashed.");
                stream.Peer.Reset("The connection was reset: the peer crashed.");
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

        /// <summary>10.x.y.z from the index, skipping nothing clever: unique for 16 million hosts, never dialled.</summary>
        static string AddressFor(int index)
        {
            int n = index + 1;
            return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
        }

        internal SimulatedListener AddListener(int port)
        {
            if (port == 0) port = NextFreePort();
            else if (_listeners.ContainsKey(port))
                throw new PeerException(PeerErrorIds.PortInUse, $"Port {port} on {Name} ({HostAddress}) is already in use: choose another -Port, or -Port 0 for any free port.");
            var listener = new SimulatedListener(this, port, _network.Options.ListenBacklog);
            _listeners.Add(port, listener);
            return listener;
        }

        internal SimulatedListener FindListener(int port) => _listeners.TryGetValue(port, out var l) ? l : null;

        internal void RemoveListener(SimulatedListener listener)
        {
            if (_listeners.TryGetValue(listener.Port, out var current) && current == listener) _listeners.Remove(listener.Port);
        }

        int NextFreePort()
        {
            for (int tries = 0; tries < 65536 - FirstListenPort; tries++)
            {
                int port = _nextListenPort;
                _nextListenPort = port == 65535 ? FirstListenPort : port + 1;
                if (!_listeners.ContainsKey(port)) return port;
            }
            throw new PeerException(PeerErrorIds.PortInUse, $"Host {Name} has no free port left.");
        }

        internal int NextEphemeralPort()
        {
            int port = _nextEphemeralPort;
            _nextEphemeralPort = port == 65535 ? FirstEphemeralPort : port + 1;
            return port;
        }

        internal void Track(SimulatedStream stream) => _streams.Add(stream);
        internal void Untrack(SimulatedStream stream) => _streams.Remove(stream);

        /// <summary>A snapshot in creation order, so resets happen in the same order on every run.</summary>
        internal List<SimulatedStream> OpenStreams()
        {
            var list = new List<SimulatedStream>(_streams);
            list.Sort((a, b) => a.Id.CompareTo(b.Id));
            return list;
        }
    }
}
