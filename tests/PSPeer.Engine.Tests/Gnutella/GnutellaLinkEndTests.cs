using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// How links end (issue 10, item 10): a servent that drops us right after the handshake is not redialled every
    /// second; our own Bye is reported as ours; a refusal on dialling is an event.
    /// </summary>
    public class GnutellaLinkEndTests
    {
        readonly Xunit.Abstractions.ITestOutputHelper _output;
        public GnutellaLinkEndTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

        static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

        /// <summary>
        /// A servent on <paramref name="host"/> that answers every handshake with <paramref name="answer"/>; with 200, it
        /// reads the confirmation and hangs up at once. Counts the connections it took; stops by itself at <paramref name="until"/>.
        /// </summary>
        static Func<int> Serve(GnutellaWorld world, SimulatedHost host, string answer, TimeSpan until)
        {
            int connections = 0;
            world.Sim.Spawn(async () =>
            {
                var listener = await host.Transport.ListenAsync(GnutellaWorld.Port);
                var stop = host.Clock.Now + until;
                using (listener)
                using (var cancel = new CancellationTokenSource())
                using (host.Clock.Schedule(until, cancel.Cancel))
                {
                    while (host.Clock.Now < stop)
                    {
                        IConnection c;
                        try { c = await listener.AcceptAsync(cancel.Token); }
                        catch (Exception) { return; }
                        connections++;
                        using (c)
                        {
                            var hello = await GnutellaHandshake.ReadHeadAsync(c.Stream, null, 8192, CancellationToken.None);
                            var bytes = Ascii(answer);
                            await c.Stream.WriteAsync(bytes, 0, bytes.Length);
                            if (answer.Contains(" 200 ")) await GnutellaHandshake.ReadHeadAsync(c.Stream, hello.Remainder, 8192, CancellationToken.None);
                        }
                    }
                }
            });
            return () => connections;
        }

        [Fact]
        public void A_servent_that_drops_us_after_the_handshake_is_redialled_with_a_growing_back_off()
        {
            var world = new GnutellaWorld();
            var dropper = world.Sim.AddHost("dropper");
            var count = Serve(world, dropper, "GNUTELLA/0.6 200 OK\r\nX-Ultrapeer: True\r\n\r\n", TimeSpan.FromSeconds(70));
            world.Settle(0.1);
            var up = world.Add("up", configure: o =>
            {
                o.AutoConnect = true;
                o.Bootstrap = new List<HostPort> { new HostPort(dropper.HostAddress, GnutellaWorld.Port) };
            });
            world.Sim.RunFor(TimeSpan.FromSeconds(60));
            world.Run(() => up.StopAsync());
            _output.WriteLine($"connections in 60 s: {count()}");
            // Back-off of 4, 8, 16, 32 s after each drop: five or six dials in a minute, not one a second.
            Assert.InRange(count(), 2, 7);
            Assert.True(world.Events.Count(e => e.Type == PeerEventTypes.Connected && e.Node == "up") >= 2);
        }

        [Fact]
        public void A_refusal_on_dialling_is_an_event_with_its_status()
        {
            var world = new GnutellaWorld();
            var refuser = world.Sim.AddHost("refuser");
            Serve(world, refuser, "GNUTELLA/0.6 403 High Outdegree and Dynamic Querying Required\r\nUser-Agent: gtk-gnutella/1.2.3\r\n\r\n", TimeSpan.FromSeconds(10));
            world.Settle(0.1);
            var leaf = world.Add("leaf", GnutellaRole.Leaf);
            var e = Assert.Throws<PeerException>(() => world.Run(() => leaf.ConnectAsync(new HostPort(refuser.HostAddress, GnutellaWorld.Port))));
            Assert.Equal(PeerErrorIds.HandshakeRefused, e.ErrorId);
            var refused = Assert.Single(world.Events, ev => ev.Type == PeerEventTypes.HandshakeRefused);
            Assert.Equal("leaf", refused.Node);
            Assert.Equal(403, refused.Data["Status"]);
            Assert.Equal("High Outdegree and Dynamic Querying Required", refused.Data["Reason"]);
            Assert.StartsWith("gtk-gnutella", (string)refused.Data["UserAgent"]);
        }

        /// <summary>
        /// The other servent reads our Bye and hangs up at once: its end of stream reaches our read loop while our
        /// write of the Bye has not returned yet. This stream makes that happen every time.
        /// </summary>
        sealed class HangsUpOnByeStream : Stream
        {
            readonly TaskCompletionSource<int> _read = new TaskCompletionSource<int>();
            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken token) => _read.Task;
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken token)
            {
                if (count >= 17 && buffer[offset + 16] == 0x02) _read.TrySetResult(0);   // a Bye: the other end closes
                return Task.CompletedTask;
            }
            public override Task FlushAsync(CancellationToken token) => Task.CompletedTask;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        sealed class StreamConnection : IConnection
        {
            public Stream Stream { get; } = new HangsUpOnByeStream();
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint => "10.0.0.2:6346";
            public void Dispose() { }
        }

        [Fact]
        public void Our_own_bye_is_reported_as_ours_even_when_the_other_end_hangs_up_first()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var host = sim.AddHost("h");
            var link = new GnutellaLink(new StreamConnection(), HostPort.Parse("10.0.0.2:6346"), remoteIsUltrapeer: true, outgoing: true,
                new byte[0], 65536, new QueryRateLimiter(host.Clock, 20), new GnutellaCounters()) { AcceptsBye = true };
            var run = link.RunToEndAsync((l, m) => { });
            var bye = link.SayByeAndCloseAsync(200, "servent stopping");
            Assert.True(run.IsCompleted && bye.IsCompleted);
            Assert.Equal("servent stopping", run.Result.Reason);
        }
    }
}
