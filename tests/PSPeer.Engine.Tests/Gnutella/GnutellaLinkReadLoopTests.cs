using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Tests.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A link's read loop hands descriptors on in one reused message: each call sees its own descriptor's parts.</summary>
    public class GnutellaLinkReadLoopTests
    {
        [Fact]
        public void Descriptors_arriving_together_are_handed_on_each_with_its_own_header_and_payload()
        {
            var (sim, a, _, client, server) = SimulatedStreamHelpers.Pair();
            var link = new GnutellaLink(client, HostPort.Parse("10.0.0.2:6346"), remoteIsUltrapeer: true, outgoing: true,
                new byte[0], 65536, new QueryRateLimiter(a.Clock, 20), new GnutellaCounters());
            var ids = Enumerable.Range(1, 3).Select(i => GnutellaGuid.Parse($"0102030405060708FF0A0B0C0D0E0F{i:X2}")).ToList();
            var frames = ids.Select((id, i) => GnutellaCodec.Encode(id, 3, 1, new Query { Criteria = "track " + i })).ToList();
            var seen = new List<(GnutellaGuid id, Query query, byte[] bytes)>();
            var messages = new HashSet<GnutellaMessage>();
            var end = sim.Run(async () =>
            {
                var run = link.RunToEndAsync((l, m) =>
                {
                    seen.Add((m.Header.Id, (Query)m.Payload, m.PayloadBytes));   // the parts are ours to keep
                    messages.Add(m);
                });
                var all = frames.SelectMany(f => f).ToArray();
                await server.Stream.WriteAsync(all, 0, all.Length);   // one write: the three arrive in one read
                server.Dispose();
                return await run;
            }, TimeSpan.FromSeconds(10));
            Assert.Equal("closed by the other servent", end.Reason);
            Assert.Equal(ids, seen.Select(s => s.id));
            Assert.Equal(new[] { "track 0", "track 1", "track 2" }, seen.Select(s => s.query.Criteria));
            for (int i = 0; i < frames.Count; i++) Assert.Equal(frames[i].Skip(DescriptorHeader.Size), seen[i].bytes);
            Assert.Single(messages);   // no object per descriptor
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(23)]
        [InlineData(150)]
        public void Descriptors_cut_into_small_segments_are_handed_on_whole_and_in_order(int piece)
        {
            // A ping, a vendor message to read past (longer than the read buffer), a query, a QRP patch longer than the
            // read buffer, a pong: written in pieces of a few bytes, each its own segment.
            var (sim, a, _, client, server) = SimulatedStreamHelpers.Pair();
            var link = new GnutellaLink(client, HostPort.Parse("10.0.0.2:6346"), remoteIsUltrapeer: true, outgoing: true,
                new byte[0], 65536, new QueryRateLimiter(a.Clock, 20), new GnutellaCounters());
            var id = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");
            var vendor = new byte[23 + 300];
            new DescriptorHeader(id, GnutellaPayloadType.VendorMessage, 1, 0, 300).Write(vendor, 0);
            var patch = new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 0, EntryBits = 4, Data = Enumerable.Range(0, 700).Select(i => (byte)(i % 7)).ToArray() };
            var frames = new[]
            {
                GnutellaCodec.Encode(id, 7, 0, new Ping()),
                vendor,
                GnutellaCodec.Encode(id, 6, 1, new Query { Criteria = "hey jude" }),
                GnutellaCodec.Encode(id, 1, 0, patch),
                GnutellaCodec.Encode(id, 1, 6, new Pong { Port = 6346, Address = "127.0.0.1", FileCount = 3, KilobytesShared = 9 }),
            };
            var seen = new List<(GnutellaPayloadType type, byte[] bytes)>();
            var end = sim.Run(async () =>
            {
                var run = link.RunToEndAsync((l, m) => seen.Add((m.Header.Type, m.PayloadBytes)));
                var all = frames.SelectMany(f => f).ToArray();
                for (int at = 0; at < all.Length; at += piece)
                {
                    await server.Stream.WriteAsync(all, at, Math.Min(piece, all.Length - at));
                    await a.Clock.Delay(TimeSpan.FromMilliseconds(1));
                }
                server.Dispose();
                return await run;
            }, TimeSpan.FromSeconds(60));
            Assert.Equal("closed by the other servent", end.Reason);
            Assert.Equal(new[] { GnutellaPayloadType.Ping, GnutellaPayloadType.VendorMessage, GnutellaPayloadType.Query, GnutellaPayloadType.RouteTableUpdate, GnutellaPayloadType.Pong },
                seen.Select(s => s.type));
            Assert.Empty(seen[1].bytes);   // an ignored extension's payload is read past, not kept
            foreach (int i in new[] { 0, 2, 3, 4 }) Assert.Equal(frames[i].Skip(DescriptorHeader.Size), seen[i].bytes);
        }
    }
}