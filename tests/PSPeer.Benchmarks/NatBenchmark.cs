using System;
using System.Net;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// The simulated NAT's cost. Throughput: clients ping random public servers that echo to the address they saw;
    /// each answer makes the client ping another server. Run once with public clients and once with every client
    /// behind its own NAT of each kind: datagrams per second, and the mappings made. Memory: one NAT box with many
    /// inside hosts, each sending one datagram out, measured on the managed heap per mapping.
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- nat [--clients 10000] [--servers 1000]
    /// [--datagrams 2000000] [--mappings 200000]`.
    /// </summary>
    static class NatBenchmark
    {
        public static int Run(string[] args)
        {
            int clients = Program.Option(args, "--clients", 10_000);
            int servers = Program.Option(args, "--servers", 1_000);
            int datagrams = Program.Option(args, "--datagrams", 2_000_000);
            int mappings = Program.Option(args, "--mappings", 200_000);
            PingPong(clients, servers, datagrams / 5, null);   // warm-up
            PingPong(clients, servers, datagrams, null);
            foreach (NatKind kind in Enum.GetValues(typeof(NatKind))) PingPong(clients, servers, datagrams, kind);
            if (mappings > 0) MappingMemory(mappings);
            return 0;
        }

        static void PingPong(int clientCount, int serverCount, long target, NatKind? kind)
        {
            var sim = DatagramLoad.NewSimulation();
            var servers = new IPEndPoint[serverCount];
            long delivered = 0;
            uint state = DatagramLoad.FirstState;
            DatagramReceiver echo = (socket, from, data) => { delivered++; socket.Send(data.Array, data.Offset, data.Count, from); };
            for (int i = 0; i < serverCount; i++)
            {
                var host = sim.AddHost("s" + i);
                servers[i] = new IPEndPoint(IPAddress.Parse(host.HostAddress), 7);
                host.Datagrams.Bind(7, echo);
            }
            DatagramReceiver again = (socket, from, data) =>
            {
                delivered++;
                socket.Send(data.Array, data.Offset, data.Count, servers[DatagramLoad.Next(ref state) % (uint)serverCount]);
            };
            var sockets = new IDatagramSocket[clientCount];
            var nats = new SimulatedNat[kind == null ? 0 : clientCount];
            for (int i = 0; i < clientCount; i++)
            {
                SimulatedNat nat = null;
                if (kind != null) nats[i] = nat = sim.AddNat("nat" + i, kind.Value);
                sockets[i] = sim.AddHost("c" + i, nat).Datagrams.Bind(5000, again);
            }
            var bytes = new byte[100];
            sim.Post(() => { for (int i = 0; i < clientCount; i++) sockets[i].Send(bytes, 0, bytes.Length, servers[(i * 7919) % serverCount]); });
            var run = DatagramLoad.RunUntil(sim, () => delivered >= target);
            TimeSpan wall = run.Wall, cpu = run.Cpu;
            long mapped = 0, dropped = 0;
            foreach (var nat in nats) { mapped += nat.MappingCount; dropped += nat.Dropped; }
            Console.WriteLine($"nat {(kind?.ToString() ?? "none"),-15} {delivered:N0} datagrams, {clientCount:N0} clients -> {serverCount:N0} servers: " +
                              $"{delivered / wall.TotalSeconds:N0}/s wall ({delivered / cpu.TotalSeconds:N0} per CPU-second), " +
                              $"{mapped:N0} mappings, {dropped:N0} dropped by NATs, {sim.Elapsed.TotalSeconds:0.0} s virtual");
        }

        static void MappingMemory(int count)
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var server = sim.AddHost("server");
            server.Datagrams.Bind(7, (s, f, p) => { });
            var to = new IPEndPoint(IPAddress.Parse(server.HostAddress), 7);
            // NATs of 50,000 mappings (a NAT has 64,512 public ports), inside hosts of 50 sockets each, so the mapping
            // count, not the host count, dominates what is measured.
            const int PerNat = 50_000, PerHost = 50;
            var sockets = new IDatagramSocket[count];
            var nats = new System.Collections.Generic.List<SimulatedNat>();
            SimulatedHost host = null;
            for (int made = 0; made < count; made++)
            {
                if (made % PerNat == 0) nats.Add(sim.AddNat("nat" + nats.Count, NatKind.PortRestricted));
                if (made % PerHost == 0) host = sim.AddHost("h" + made, nats[nats.Count - 1]);
                sockets[made] = host.Datagrams.Bind(0, (s, f, p) => { });
            }
            var bytes = new byte[1];
            // A first send to a host that is not there makes each socket's own endpoint and drops, mapping nothing.
            var nowhere = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 7);
            sim.Post(() => { foreach (var s in sockets) s.Send(bytes, 0, 1, nowhere); });
            sim.RunFor(TimeSpan.FromSeconds(1));
            long before = ManagedHeap.Settled();
            sim.Post(() => { foreach (var s in sockets) s.Send(bytes, 0, 1, to); });
            sim.RunFor(TimeSpan.FromSeconds(1));
            long after = ManagedHeap.Settled();
            long mapped = 0;
            foreach (var nat in nats) mapped += nat.MappingCount;
            Console.WriteLine($"nat memory {mapped:N0} port-restricted mappings in {nats.Count} NATs (one remote each): {(double)(after - before) / mapped:N0} bytes per mapping " +
                              "(the mapping, its two table entries and its public endpoint)");
            GC.KeepAlive(sockets);
        }
    }
}
