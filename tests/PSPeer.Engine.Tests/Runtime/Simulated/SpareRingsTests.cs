using System;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// The rings an end holds while segments are in flight to it are kept for the next ends once emptied (more than
    /// the 4,096 a build outgrew), and ReleaseSpareBuffers lets them go with the segment buffers.
    /// </summary>
    public class SpareRingsTests
    {
        [Fact]
        public void Rings_given_back_are_kept_past_4096_and_released_with_the_spare_buffers()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(5) });
            var server = sim.AddHost("server");
            var client = sim.AddHost("client");
            SimulatedStream.ReleaseSpareRings();
            sim.Run(async () =>
            {
                var listener = await server.Transport.ListenAsync(80);
                var accepted = new System.Collections.Generic.List<PSPeer.Engine.Runtime.IConnection>();
                var dials = new Task<PSPeer.Engine.Runtime.IConnection>[5000];
                for (int i = 0; i < dials.Length; i++) dials[i] = client.Transport.ConnectAsync(server.HostAddress, 80);
                for (int i = 0; i < dials.Length; i++) accepted.Add(await listener.AcceptAsync());
                // A byte to every accepted end at once: 5,000 rings in use, all given back once read.
                var one = new byte[1];
                foreach (var d in dials) await (await d).Stream.WriteAsync(one, 0, 1);
                foreach (var a in accepted) await a.Stream.ReadAsync(new byte[1], 0, 1);
            }, TimeSpan.FromMinutes(1));
            Assert.True(SimulatedStream.SpareRingCount > 4096, $"{SimulatedStream.SpareRingCount} spare rings");
            sim.ReleaseSpareBuffers();
            Assert.Equal(0, SimulatedStream.SpareRingCount);
        }
    }
}
