using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>A simulated network with one tracker and client hosts that announce to it.</summary>
    sealed class TrackerWorld
    {
        public const int TrackerPort = 6969;
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);   // virtual time

        public readonly Simulation Sim;
        public readonly SimulatedHost TrackerHost;
        public readonly BitTorrentTracker Tracker;
        public readonly List<PeerEvent> Events = new List<PeerEvent>();

        public TrackerWorld(int seed = 1, TrackerOptions options = null)
        {
            Sim = new Simulation(new SimulationOptions { Seed = seed, Latency = TimeSpan.FromMilliseconds(10) });
            TrackerHost = Sim.AddHost("tracker-host");
            Tracker = new BitTorrentTracker(TrackerHost, "tracker", TrackerPort, options);
            Tracker.Events.Subscribe(e => Events.Add(e));
            Run(() => Tracker.StartAsync());
        }

        public string AnnounceUrl => Tracker.AnnounceUrl;

        /// <summary>Peers the tracker holds for <paramref name="hash"/> (0 when it holds none).</summary>
        public int GetSwarmSize(InfoHash hash)
        {
            var entry = Tracker.GetSwarm(hash);
            return entry == null ? 0 : entry.Complete + entry.Incomplete;
        }

        public SimulatedHost AddHost(string name) => Sim.AddHost(name);

        public void Run(Func<Task> work)
        {
            var task = Sim.Spawn(work);
            Assert.True(Sim.RunUntilCompleted(task, Limit), "simulated work did not finish in time");
            task.GetAwaiter().GetResult();
        }

        public T Run<T>(Func<Task<T>> work)
        {
            var task = Sim.Spawn(work);
            Assert.True(Sim.RunUntilCompleted(task, Limit), "simulated work did not finish in time");
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Runs <paramref name="work"/> and returns the exception it failed with (fails the test when it succeeds).</summary>
        public TException Fails<TException>(Func<Task> work) where TException : Exception
        {
            var task = Sim.Spawn(work);
            Assert.True(Sim.RunUntilCompleted(task, Limit), "simulated work did not finish in time");
            Assert.True(task.IsFaulted || task.IsCanceled, "expected a failure, but the work succeeded");
            var e = task.Exception?.InnerException;
            return Assert.IsType<TException>(e);
        }

        public AnnounceResponse Announce(IPeerRuntime from, AnnounceRequest request, string url = null) =>
            Run(() => new TrackerClient(from).AnnounceAsync(url ?? AnnounceUrl, request));

        public IReadOnlyList<ScrapeEntry> Scrape(IPeerRuntime from, params InfoHash[] hashes) =>
            Run(() => new TrackerClient(from).ScrapeAsync(AnnounceUrl, hashes));

        /// <summary>Sends raw bytes to the tracker and returns everything it sends back until it closes (or the limit).</summary>
        public string Raw(IPeerRuntime from, string request, int closeAfterBytes = int.MaxValue) => Run(async () =>
        {
            using (var c = await from.Transport.ConnectAsync(TrackerHost.HostAddress, TrackerPort))
            {
                var bytes = Encoding.ASCII.GetBytes(request);
                await c.Stream.WriteAsync(bytes, 0, bytes.Length);
                await c.Stream.FlushAsync();
                var received = new List<byte>();
                var buffer = new byte[4096];
                while (received.Count < closeAfterBytes)
                {
                    int n;
                    try { n = await c.Stream.ReadAsync(buffer, 0, buffer.Length); }
                    catch (System.IO.IOException) { break; }
                    if (n <= 0) break;
                    received.AddRange(buffer.Take(n));
                }
                return Encoding.Latin1.GetString(received.ToArray());
            }
        });

        public static InfoHash Hash(int n)
        {
            var bytes = new byte[20];
            for (int i = 0; i < 20; i++) bytes[i] = (byte)(n * 7 + i * 13);
            return new InfoHash(bytes);
        }

        public static byte[] PeerId(string name)
        {
            var id = Encoding.ASCII.GetBytes(("-PS0100-" + name + "____________").Substring(0, 20));
            return id;
        }

        public static AnnounceRequest Request(InfoHash hash, string peer, int port, long left = 1000, AnnounceEvent ev = AnnounceEvent.Started,
            int numWant = 50, bool compact = true) => new AnnounceRequest
        {
            InfoHash = hash, PeerId = PeerId(peer), Port = port, Left = left, Event = ev, NumWant = numWant, Compact = compact,
        };
    }
}
