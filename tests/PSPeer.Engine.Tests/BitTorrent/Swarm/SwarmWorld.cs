using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>A simulated swarm for tests: hosts, one torrent, nodes whose events all go into one trace.</summary>
    sealed class SwarmWorld
    {
        public const int PeerPort = 6881;
        public readonly Simulation Sim;
        public readonly byte[] Content;
        public readonly TorrentMetainfo Torrent;
        public readonly List<string> Trace = new List<string>();
        public readonly List<PeerEvent> Events = new List<PeerEvent>();
        public readonly Dictionary<string, SimulatedHost> Hosts = new Dictionary<string, SimulatedHost>();

        public SwarmWorld(int seed, int size, int pieceLength, TimeSpan? latency = null, string tracker = null, double loss = 0)
        {
            Sim = new Simulation(new SimulationOptions { Seed = seed, Latency = latency ?? TimeSpan.FromMilliseconds(10), Loss = loss });
            Content = TempFolder.RandomBytes(size, seed);
            Torrent = tracker == null ? TestTorrent.Make("file.bin", Content, pieceLength) : TestTorrent.Make("file.bin", Content, pieceLength, tracker);
        }

        public SimulatedHost Host(string name)
        {
            if (!Hosts.TryGetValue(name, out var host)) Hosts[name] = host = Sim.AddHost(name);
            return host;
        }

        public HostPort AddressOf(string name) => new HostPort(Hosts[name].HostAddress, PeerPort);

        public BitTorrentPeer Seeder(string name, SwarmOptions options = null)
        {
            Host(name).MemoryStorage.WriteFile("/data/file.bin", Content);
            return Start(name, "/data", options);
        }

        public BitTorrentPeer Leecher(string name, SwarmOptions options = null) => Start(name, "/dl", options);

        public BitTorrentPeer Start(string name, string directory, SwarmOptions options)
        {
            options = options ?? new SwarmOptions();
            if (options.Port == 0) options.Port = PeerPort;
            if (options.Trackers == null) options.Trackers = new string[0];
            var node = Watch(new BitTorrentPeer(Host(name), name, Torrent, directory, options));
            Run(() => node.StartAsync());
            return node;
        }

        public T Watch<T>(T node) where T : PeerNodeBase
        {
            node.Events.Subscribe(e => { Events.Add(e); Trace.Add(Format(e)); });
            return node;
        }

        static string Format(PeerEvent e) =>
            $"{e.Time.Ticks} {e.Node} {e.Type} {e.Remote} {e.Message} | " + string.Join(", ", e.Data.Select(kv => $"{kv.Key}={kv.Value}"));

        public void Run(Func<Task> work, double seconds = 60)
        {
            var task = Sim.Spawn(work);
            Assert.True(Sim.RunUntilCompleted(task, TimeSpan.FromSeconds(seconds)), "simulated work did not finish in time");
            task.GetAwaiter().GetResult();
        }

        public void Connect(BitTorrentPeer from, string to) => Run(() => from.AddPeerAsync(AddressOf(to)));

        public byte[] Downloaded(string name) => Hosts[name].MemoryStorage.ReadAllBytes("/dl/file.bin");
    }
}
