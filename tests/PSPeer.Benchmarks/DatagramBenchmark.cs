using System;
using System.Net;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// The simulated datagram layer alone. Throughput: hosts each with one socket keep datagrams of 100 bytes in flight;
    /// every receiver forwards what it got to a next host picked by a xorshift step (no decoding, no protocol), and the
    /// figure is datagrams delivered per second of wall time. Memory: a million idle hosts, then one bound socket
    /// each, measured on the managed heap after a full collection.
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- datagrams [--hosts 10000] [--in-flight 40000]
    /// [--datagrams 5000000] [--idle-hosts 1000000] [--payload 100]` (--idle-hosts 0 skips the memory part).
    /// </summary>
    static class DatagramBenchmark
    {
        public static int Run(string[] args)
        {
            int hosts = Program.Option(args, "--hosts", 10_000);
            int inFlight = Program.Option(args, "--in-flight", 40_000);
            int datagrams = Program.Option(args, "--datagrams", 5_000_000);
            int payload = Program.Option(args, "--payload", 100);
            int idleHosts = Program.Option(args, "--idle-hosts", 1_000_000);
            Throughput(hosts, inFlight, payload, datagrams / 5); // warm-up: JIT and the heap grow to size
            Throughput(hosts, inFlight, payload, datagrams);
            if (idleHosts > 0) IdleMemory(idleHosts);
            return 0;
        }

        static void Throughput(int hostCount, int inFlight, int payload, long target)
        {
            var sim = DatagramLoad.NewSimulation();
            var addresses = new IPEndPoint[hostCount];
            var sockets = new IDatagramSocket[hostCount];
            long delivered = 0;
            uint state = DatagramLoad.FirstState;
            DatagramReceiver forward = (socket, from, data) =>
            {
                delivered++;
                socket.Send(data.Array, data.Offset, data.Count, addresses[DatagramLoad.Next(ref state) % (uint)hostCount]);
            };
            for (int i = 0; i < hostCount; i++)
            {
                var host = sim.AddHost("h" + i);
                addresses[i] = new IPEndPoint(IPAddress.Parse(host.HostAddress), 9000);
                sockets[i] = host.Datagrams.Bind(9000, forward);
            }
            var bytes = new byte[payload];
            sim.Post(() => { for (int i = 0; i < inFlight; i++) sockets[i % hostCount].Send(bytes, 0, payload, addresses[(i * 7919) % hostCount]); });
            var run = DatagramLoad.RunUntil(sim, () => delivered >= target);
            TimeSpan wall = run.Wall, cpu = run.Cpu;
            Console.WriteLine($"datagrams  {delivered:N0} delivered of {payload} bytes among {hostCount:N0} hosts, {inFlight:N0} in flight: " +
                              $"{wall.TotalSeconds:0.00} s wall, {delivered / wall.TotalSeconds:N0} datagrams/s ({cpu.TotalSeconds:0.00} s of CPU: " +
                              $"{delivered / cpu.TotalSeconds:N0} per CPU-second), {sim.Elapsed.TotalSeconds:0.0} s virtual, " +
                              $"GC {run.Gen0} gen-0 / {run.Gen2} gen-2");
        }

        static void IdleMemory(int count)
        {
            long before = ManagedHeap.Settled();
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var hosts = new SimulatedHost[count];
            for (int i = 0; i < count; i++) hosts[i] = sim.AddHost("h" + i);
            long withHosts = ManagedHeap.Settled();
            var sockets = new IDatagramSocket[count];
            DatagramReceiver ignore = (s, f, p) => { };
            for (int i = 0; i < count; i++) sockets[i] = hosts[i].Datagrams.Bind(6881, ignore);
            long withSockets = ManagedHeap.Settled();
            double perHost = (double)(withHosts - before) / count;
            double perSocket = (double)(withSockets - withHosts) / count;
            Console.WriteLine($"memory     {count:N0} idle hosts: {perHost:N0} bytes per host (the simulation's tables included), " +
                              $"{perSocket:N0} bytes per idle socket, {(perHost + perSocket) * 1_000_000 / 1e9:0.00} GB for a million hosts with one socket each");
            GC.KeepAlive(sockets);
            GC.KeepAlive(sim);
        }
    }
}
