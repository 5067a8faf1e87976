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
        /// <summary>Everything the servent sends to <paramref name="raw"/> from now on, as it arrives.</summary>
        static List<GnutellaMessage> Collect(GnutellaWorld world, RawGnutellaClient raw)
        {
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
            return received;
        }

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
            var received = Collect(world, raw);
            var id = GnutellaGuid.New(world.Sim.Random);
            world.Run(() => raw.SendAsync(id, 3, 0, new Ping()));
            world.Settle(2);

            var pongs = received.Where(m => m.Header.Type == GnutellaPayloadType.Pong && m.Header.Id == id).Select(m => (Pong)m.Payload).ToList();
            var addresses = pongs.Select(p => p.Address + ":" + p.Port).OrderBy(s => s).ToArray();
            Assert.Equal(new[] { world.Address(a).ToString(), world.Address(b).ToString() }.OrderBy(s => s).ToArray(), addresses);
            Assert.Equal(pingsAtA, GnutellaWorld.Received(a, GnutellaPayloadType.Ping));   // not flooded on
            Assert.True(b.KnownHostCount >= 1);
        }

        [Fact]
        public void Cached_pongs_go_back_on_a_link_at_most_once_a_second()
        {
            // The 0.6 draft's pong cache: a Ping is answered from the cache only when the link's previous one was a second
            // ago or more; otherwise a Ping costs one Pong (ours), so a Ping flood is not multiplied back.
            var world = new GnutellaWorld();
            var a = world.Add("a", configure: o => o.AutoConnect = true);
            var b = world.Add("b", configure: o => o.AutoConnect = true);
            world.Link(b, a);
            var host = world.Sim.AddHost("raw");
            var raw = world.Run(() => RawGnutellaClient.ConnectAsync(host, world.Address(b)));
            var received = Collect(world, raw);
            world.Settle(1);
            received.Clear();
            var ids = Enumerable.Range(0, 5).Select(_ => GnutellaGuid.New(world.Sim.Random)).ToList();
            world.Run(async () => { foreach (var id in ids) await raw.SendAsync(id, 3, 0, new Ping()); });
            world.Settle(0.5);
            var pongs = received.Where(m => m.Header.Type == GnutellaPayloadType.Pong && ids.Contains(m.Header.Id)).Select(m => (Pong)m.Payload).ToList();
            Assert.Equal(5, pongs.Count(p => p.Port == world.Address(b).Port && p.Address == world.Address(b).Host));   // our own, every time
            Assert.Equal(1, pongs.Count(p => p.Address == world.Address(a).Host));                                      // the cache, once

            world.Settle(1);
            var later = GnutellaGuid.New(world.Sim.Random);
            world.Run(() => raw.SendAsync(later, 3, 0, new Ping()));
            world.Settle(0.5);
            Assert.Contains(received, m => m.Header.Id == later && ((Pong)m.Payload).Address == world.Address(a).Host);
        }
    }
}
