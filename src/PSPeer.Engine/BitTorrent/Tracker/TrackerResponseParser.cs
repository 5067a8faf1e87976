using System;
using System.Collections.Generic;
using System.Net;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Reads a tracker's bencoded answers: announce (compact BEP 23, peers6 BEP 7, or the dictionary model) and scrape.
    /// Throws PeerException TrackerFailure for a "failure reason" and for answers that are not what BEP 3 describes.
    /// Entries of a peer list that make no sense (port 0, a bad address) are skipped, not fatal.
    /// </summary>
    static class TrackerResponseParser
    {
        /// <summary>When a tracker gives no interval: the classic 30 minutes.</summary>
        static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(30);

        public static AnnounceResponse ParseAnnounce(string url, BDictionary d)
        {
            ThrowOnFailure(url, d);
            long interval = d.GetInteger("interval") ?? (long)DefaultInterval.TotalSeconds;
            long? minInterval = d.GetInteger("min interval");
            var peers = new List<TrackerPeer>();
            var value = d["peers"];
            if (value is BString compact) ReadCompact(url, compact.Bytes, 6, peers);
            else if (value is BList list) ReadDictionaries(list, peers);
            else if (value != null) throw Malformed(url, "'peers' is neither a string nor a list");
            if (d["peers6"] is BString compact6) ReadCompact(url, compact6.Bytes, 18, peers);
            return new AnnounceResponse(
                TimeSpan.FromSeconds(Clamp(interval, 1, 24 * 3600)),
                minInterval.HasValue ? TimeSpan.FromSeconds(Clamp(minInterval.Value, 0, 24 * 3600)) : (TimeSpan?)null,
                (int)Clamp(d.GetInteger("complete") ?? -1, -1, int.MaxValue),
                (int)Clamp(d.GetInteger("incomplete") ?? -1, -1, int.MaxValue),
                peers,
                d.GetText("warning message"),
                d.GetText("tracker id"));
        }

        public static IReadOnlyList<ScrapeEntry> ParseScrape(string url, BDictionary d)
        {
            ThrowOnFailure(url, d);
            var files = d.GetDictionary("files");
            if (files == null) throw Malformed(url, "a scrape answer without 'files'");
            var result = new List<ScrapeEntry>();
            foreach (var kv in files.Entries)
            {
                if (kv.Key.Bytes.Length != InfoHash.Length || !(kv.Value is BDictionary stats)) continue;
                result.Add(new ScrapeEntry(new InfoHash(kv.Key.Bytes),
                    (int)Clamp(stats.GetInteger("complete") ?? 0, 0, int.MaxValue),
                    (int)Clamp(stats.GetInteger("incomplete") ?? 0, 0, int.MaxValue),
                    (int)Clamp(stats.GetInteger("downloaded") ?? 0, 0, int.MaxValue)));
            }
            return result;
        }

        static void ThrowOnFailure(string url, BDictionary d)
        {
            var reason = d["failure reason"];
            if (reason == null) return;
            string text = (reason as BString)?.Text ?? "(no reason given)";
            throw new PeerException(PeerErrorIds.TrackerFailure, $"Tracker {url} refused the request: {text}");
        }

        static void ReadCompact(string url, byte[] bytes, int size, List<TrackerPeer> peers)
        {
            if (bytes.Length % size != 0) throw Malformed(url, $"a compact peer list of {bytes.Length} bytes, not a multiple of {size}");
            var address = new byte[size - 2];
            for (int o = 0; o < bytes.Length; o += size)
            {
                Buffer.BlockCopy(bytes, o, address, 0, size - 2);
                int port = (bytes[o + size - 2] << 8) | bytes[o + size - 1];
                if (port == 0) continue;
                peers.Add(new TrackerPeer(new HostPort(new IPAddress(address).ToString(), port), null));
            }
        }

        static void ReadDictionaries(BList list, List<TrackerPeer> peers)
        {
            foreach (var item in list)
            {
                if (!(item is BDictionary p)) continue;
                string ip = p.GetText("ip");
                long port = p.GetInteger("port") ?? 0;
                if (string.IsNullOrEmpty(ip) || ip.Length > 255 || port < 1 || port > 65535) continue;
                if (IPAddress.TryParse(ip, out var parsed)) ip = AnnounceParser.Normalize(parsed);
                else if (!IsHostName(ip)) continue;
                var id = p.GetBytes("peer id");
                peers.Add(new TrackerPeer(new HostPort(ip, (int)port), id != null && id.Length == 20 ? id : null));
            }
        }

        static bool IsHostName(string s)
        {
            foreach (char c in s)
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
            return true;
        }

        static long Clamp(long v, long min, long max) => v < min ? min : v > max ? max : v;

        internal static PeerException Malformed(string url, string what) =>
            new PeerException(PeerErrorIds.TrackerFailure, $"Tracker {url} sent an answer PSPeer cannot use: {what}.");
    }
}
