using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Pings are answered from the pong cache and never flooded; pongs teach hosts.</summary>
    public class GnutellaPingTests
    {
        [Fact]
        public void A_link_that_stays_silent_is_pinged_then_closed()
        {
            var world = new GnutellaWorld();
            var servent = world.Add("s", configure: o => o.AutoConnect = true);
            var host = world.Sim.AddHost("mute");
            var mute = world.Run(() => RawGnutellaClient.ConnectAsync(host, world.Address(servent)));   // never says a word after the handshake
            world.Settle(1);
            Assert.Equal(1, servent.ConnectionCount);
            long pingsBefore = GnutellaWorld.Sent(servent, GnutellaPayloadType.Ping);

            Assert.True(world.Sim.RunUntil(() => servent.ConnectionCount == 0, TimeSpan.FromSeconds(90)), "the silent link stayed up");
            Assert.True(GnutellaWorld.Sent(servent, GnutellaPayloadType.Ping) > pingsBefore, "no keepalive Ping was sent first");
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.ConnectionClosed && e.Node == "s" && e.Message.StartsWith("silent for"));
        }

        [Fact]
        public void A_ping_is_answered_from_the_pong_cache_and_not_flooded()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a", configure: o => o.AutoConnect = true);
            var b = world.Add("b", configure: o => o.AutoConnect = true);
            world.Link(b, a);   // each pings the other on the new link: b caches a's pong
            long pingsAtA = GnutellaWorld.Received(a, GnutellaPayloadType.Ping);

            var host = world.Sim.AddHost("raw");
            var raw = world.Run(() => RawGnutellaClient.ConnectAsync(host, world.Address(b)));
            var received = new List<GnutellaMessage>();
            world.Sim.Spawn(async () =>
            {
                var reader = new GnutellaFrameReader(raw.Connection.Stream, 65536, raw.Answer.Remainder);
                while (true)
                {
                    var m = await reader.ReadAsync(CancellationToken.None);
                    if (m == null) return;
                    received.Add(m);
                }
            });
            var id = GnutellaGuid.New(world.Sim.Random);
            world.Run(() => raw.SendAsync(id, 3, 0, new Ping()));
            world.Settle(2);

            var pongs = received.Where(m => m.Header.Type == GnutellaPayloadType.Pong && m.Header.Id == id).Select(m => (Pong)m.Payload).ToList();
            var addresses = pongs.Select(p => p.Address + ":" + p.Port).OrderBy(s => s).ToArray();
            Assert.Equal(new[] { world.Address(a).ToString(), world.Address(b).ToString() }.OrderBy(s => s).ToArray(), addresses);
            Assert.Equal(pingsAtA, GnutellaWorld.Received(a, GnutellaPayloadType.Ping));   // not flooded on
            Assert.True(b.KnownHostCount >= 1);
        }
    }
}
