// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// A waiting ValueTask read keeps its buffer, token and result in a PendingRead only until its result is taken: an
    /// end that is not reading holds none, and the same PendingRead serving one end after another never mixes them up.
    /// </summary>
    public class SimulatedStreamPendingReadTests
    {
        static SimulatedStream End(IConnection connection) => Assert.IsType<SimulatedStream>(connection);

        static byte[] Bytes(byte value, int count)
        {
            var bytes = new byte[count];
            for (int i = 0; i < count; i++) bytes[i] = value;
            return bytes;
        }

        [Fact]
        public void A_read_holds_its_state_while_it_waits_and_gives_it_up_once_its_result_is_taken()
        {
            var (sim, _, _, client, server) = Pair();
            var end = End(server);
            Assert.False(end.HoldsPendingRead);
            var buffer = new byte[8];
            var reading = sim.Spawn(async () => await end.ReadValueAsync(buffer, 0, buffer.Length));
            sim.RunFor(TimeSpan.FromMilliseconds(50));
            Assert.True(end.HoldsPendingRead);

            sim.Post(() => client.Stream.Write(Bytes(7, 3), 0, 3));
            sim.RunFor(TimeSpan.FromMilliseconds(50));
            Assert.Equal(3, reading.Result);
            Assert.Equal(new byte[] { 7, 7, 7, 0, 0, 0, 0, 0 }, buffer);
            Assert.False(end.HoldsPendingRead);
        }

        [Fact]
        public void Reads_on_several_ends_that_wait_in_turn_each_get_their_own_bytes_and_their_own_cancellation()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var pairs = sim.Run(async () =>
            {
                var listener = await b.Transport.ListenAsync(7000);
                var result = new (IConnection client, IConnection server)[3];
                for (int i = 0; i < 3; i++)
                {
                    var accept = listener.AcceptAsync();
                    var client = await a.Transport.ConnectAsync(b.HostAddress, 7000);
                    result[i] = (client, await accept);
                }
                return result;
            }, TimeSpan.FromMinutes(1));

            // End 0 waits, end 1 waits, end 0 completes (its PendingRead is kept for the next), end 2 waits (and may get
            // it), then end 1 is cancelled and end 2 completes.
            var buffers = new[] { new byte[4], new byte[4], new byte[4] };
            using var cancel1 = new CancellationTokenSource();
            var read0 = sim.Spawn(async () => await End(pairs[0].server).ReadValueAsync(buffers[0], 0, 4));
            var read1 = sim.Spawn(async () =>
            {
                try { await End(pairs[1].server).ReadValueAsync(buffers[1], 0, 4, cancel1.Token); return "read"; }
                catch (OperationCanceledException) { return "cancelled"; }
            });
            sim.RunFor(TimeSpan.FromMilliseconds(5));
            sim.Post(() => pairs[0].client.Stream.Write(Bytes(1, 4), 0, 4));
            sim.RunFor(TimeSpan.FromMilliseconds(50));
            Assert.Equal(4, read0.Result);
            var read2 = sim.Spawn(async () => await End(pairs[2].server).ReadValueAsync(buffers[2], 0, 4));
            sim.RunFor(TimeSpan.FromMilliseconds(5));
            cancel1.Cancel();
            sim.Post(() => pairs[2].client.Stream.Write(Bytes(3, 2), 0, 2));
            sim.RunFor(TimeSpan.FromMilliseconds(50));

            Assert.Equal("cancelled", read1.Result);
            Assert.Equal(2, read2.Result);
            Assert.Equal(Bytes(1, 4), buffers[0]);
            Assert.Equal(new byte[4], buffers[1]);
            Assert.Equal(new byte[] { 3, 3, 0, 0 }, buffers[2]);
            foreach (var (_, server) in pairs) Assert.False(End(server).HoldsPendingRead);

            // The cancelled end reads on: what arrives later is its own.
            sim.Post(() => pairs[1].client.Stream.Write(Bytes(2, 4), 0, 4));
            sim.RunFor(TimeSpan.FromMilliseconds(50));
            var again = sim.Spawn(async () => await End(pairs[1].server).ReadValueAsync(buffers[1], 0, 4));
            sim.RunFor(TimeSpan.FromMilliseconds(5));
            Assert.Equal(4, again.Result);
            Assert.Equal(Bytes(2, 4), buffers[1]);
        }
    }
}
