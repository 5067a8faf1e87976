using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// The page's wire format: the topology (GET /api/state), batches of events and the once-a-second status (server-sent
    /// events). Names, messages and user agents come from the network, so every string is written with HTML-significant
    /// characters escaped (\u003c...) on top of JSON's own escaping; the page then only ever puts them in as text.
    /// </summary>
    internal static class DashboardJson
    {
        static JsonTextWriter Writer(StringWriter text) =>
            new JsonTextWriter(text) { StringEscapeHandling = StringEscapeHandling.EscapeHtml, Formatting = Formatting.None };

        public static string NodeId(string system, string node) => system + "/" + node;

        /// <summary>A short fingerprint of what is drawn: the page fetches the state again when it changes.</summary>
        public static string Version(IReadOnlyList<DashboardSystem> systems)
        {
            unchecked
            {
                int hash = 17;
                foreach (var s in systems)
                {
                    hash = hash * 31 + StringComparer.Ordinal.GetHashCode(s.Id);
                    hash = hash * 31 + s.Links.Count;
                    // A ring's successors and fingers change as it stabilises: the page redraws when they do.
                    if (s.Fingers != null)
                    {
                        foreach (var l in s.Links) hash = (hash * 31 + l[0]) * 31 + l[1];
                        foreach (var f in s.Fingers) { hash = hash * 31 + f.Length; foreach (int x in f) hash = hash * 31 + x; }
                    }
                    foreach (var n in s.Shown) hash = (hash * 31 + StringComparer.Ordinal.GetHashCode(n.Name)) * 7 + (int)n.State;
                }
                return hash.ToString("x8", CultureInfo.InvariantCulture);
            }
        }

        public static string State(string title, int maxNodes, IReadOnlyList<DashboardSystem> systems)
        {
            var text = new StringWriter(CultureInfo.InvariantCulture);
            using (var w = Writer(text))
            {
                w.WriteStartObject();
                w.WritePropertyName("title"); w.WriteValue(title);
                w.WritePropertyName("maxNodes"); w.WriteValue(maxNodes);
                w.WritePropertyName("version"); w.WriteValue(Version(systems));
                w.WritePropertyName("systems"); w.WriteStartArray();
                foreach (var s in systems)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("id"); w.WriteValue(s.Id);
                    w.WritePropertyName("title"); w.WriteValue(s.Title);
                    w.WritePropertyName("protocol"); w.WriteValue(s.Protocol);
                    w.WritePropertyName("layout"); w.WriteValue(s.Layout);
                    w.WritePropertyName("simulated"); w.WriteValue(s.Simulated);
                    w.WritePropertyName("total"); w.WriteValue(s.Total);
                    w.WritePropertyName("shown"); w.WriteValue(s.Shown.Count);
                    w.WritePropertyName("note"); w.WriteValue(s.SampleNote);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WritePropertyName("nodes"); w.WriteStartArray();
                int first = 0;
                foreach (var s in systems)
                {
                    for (int i = 0; i < s.Shown.Count; i++)
                    {
                        var n = s.Shown[i];
                        w.WriteStartObject();
                        w.WritePropertyName("id"); w.WriteValue(NodeId(s.Id, n.Name));
                        w.WritePropertyName("sys"); w.WriteValue(s.Id);
                        w.WritePropertyName("name"); w.WriteValue(n.Name);
                        w.WritePropertyName("protocol"); w.WriteValue(n.Protocol);
                        w.WritePropertyName("role"); w.WriteValue(DashboardNetworks.RoleOf(n));
                        w.WritePropertyName("state"); w.WriteValue(n.State.ToString());
                        if (s.RingPositions != null) { w.WritePropertyName("ring"); w.WriteValue(s.RingPositions[i]); }
                        if (s.Fingers != null)
                        {
                            // Its distinct fingers (as indices into "nodes", like links) and its address, which a lookup's path names.
                            w.WritePropertyName("fingers"); w.WriteStartArray();
                            foreach (int f in s.Fingers[i]) w.WriteValue(first + f);
                            w.WriteEndArray();
                            w.WritePropertyName("ep"); w.WriteValue(DashboardChord.EndPointOf(n));
                        }
                        w.WriteEndObject();
                    }
                    first += s.Shown.Count;
                }
                w.WriteEndArray();
                w.WritePropertyName("links"); w.WriteStartArray();
                int offset = 0;
                foreach (var s in systems)
                {
                    foreach (var l in s.Links)
                    {
                        w.WriteStartArray(); w.WriteValue(offset + l[0]); w.WriteValue(offset + l[1]); w.WriteEndArray();
                    }
                    offset += s.Shown.Count;
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return text.ToString();
        }

        /// <summary>A batch of events, oldest first: system, node, time (Unix ms; virtual in a simulation), type, remote, message, data.</summary>
        public static string Events(IReadOnlyList<KeyValuePair<string, PeerEvent>> events)
        {
            var text = new StringWriter(CultureInfo.InvariantCulture);
            using (var w = Writer(text))
            {
                w.WriteStartArray();
                foreach (var pair in events)
                {
                    var e = pair.Value;
                    w.WriteStartObject();
                    w.WritePropertyName("s"); w.WriteValue(pair.Key);
                    w.WritePropertyName("n"); w.WriteValue(e.Node);
                    w.WritePropertyName("t"); w.WriteValue(e.Time.ToUnixTimeMilliseconds());
                    w.WritePropertyName("y"); w.WriteValue(e.Type);
                    if (e.Remote != null) { w.WritePropertyName("r"); w.WriteValue(e.Remote); }
                    if (e.Message != null) { w.WritePropertyName("m"); w.WriteValue(e.Message); }
                    if (e.Data.Count > 0)
                    {
                        w.WritePropertyName("d"); w.WriteStartObject();
                        foreach (var kv in e.Data)
                        {
                            w.WritePropertyName(kv.Key);
                            WritePlain(w, kv.Value);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            return text.ToString();
        }

        const int MaxListItems = 256;

        // Numbers, booleans, text and lists of text as they are; anything else as its text (never an object graph of engine state).
        static void WritePlain(JsonWriter w, object value)
        {
            switch (value)
            {
                case null: w.WriteNull(); break;
                case string s: w.WriteValue(s); break;
                case IEnumerable<string> texts:   // a Chord lookup's path: a short list of contacts
                    w.WriteStartArray();
                    foreach (string t in texts.Take(MaxListItems)) w.WriteValue(t);
                    w.WriteEndArray();
                    break;
                case bool b: w.WriteValue(b); break;
                case int i: w.WriteValue(i); break;
                case long l: w.WriteValue(l); break;
                case double d: w.WriteValue(double.IsNaN(d) || double.IsInfinity(d) ? 0 : d); break;
                case byte b8: w.WriteValue((int)b8); break;
                case IFormattable f: w.WriteValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
                default: w.WriteValue(value.ToString()); break;
            }
        }

        public static string Status(DashboardStatus status)
        {
            var text = new StringWriter(CultureInfo.InvariantCulture);
            using (var w = Writer(text))
            {
                w.WriteStartObject();
                w.WritePropertyName("version"); w.WriteValue(status.Version);
                w.WritePropertyName("t"); w.WriteValue(status.Seconds);
                w.WritePropertyName("virtual"); w.WriteValue(status.Virtual);
                w.WritePropertyName("counters"); w.WriteStartObject();
                foreach (var kv in status.Counters) { w.WritePropertyName(kv.Key); w.WriteValue(kv.Value); }
                w.WriteEndObject();
                w.WritePropertyName("eventsSent"); w.WriteValue(status.EventsSent);
                w.WritePropertyName("eventsDropped"); w.WriteValue(status.EventsDropped);
                w.WritePropertyName("swarm"); w.WriteStartArray();
                foreach (var s in status.Swarm) WriteSwarmPeer(w, s.Key, s.Value);
                w.WriteEndArray();
                w.WritePropertyName("protocols"); w.WriteStartObject();
                foreach (var p in status.Protocols)
                {
                    w.WritePropertyName(p.Key); w.WriteStartObject();
                    foreach (var kv in p.Value) { w.WritePropertyName(kv.Key); w.WriteValue(kv.Value); }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            return text.ToString();
        }

        const int PieceBuckets = 64;

        // A seeder or leecher: progress, rates, its pieces in up to 64 buckets (each a hex digit 0-f: the share held),
        // and the peers it is connected to, with their client names (attacker-chosen text).
        static void WriteSwarmPeer(JsonWriter w, string system, BitTorrentPeer peer)
        {
            w.WriteStartObject();
            w.WritePropertyName("id"); w.WriteValue(NodeId(system, peer.Name));
            w.WritePropertyName("name"); w.WriteValue(peer.Name);
            w.WritePropertyName("role"); w.WriteValue(peer.Role);
            w.WritePropertyName("torrent"); w.WriteValue(peer.Torrent.Name);
            w.WritePropertyName("progress"); w.WriteValue(peer.Progress);
            w.WritePropertyName("down"); w.WriteValue(peer.DownloadRate);
            w.WritePropertyName("up"); w.WriteValue(peer.UploadRate);
            var have = peer.Have;
            w.WritePropertyName("pieces"); w.WriteValue(have.Count);
            w.WritePropertyName("have"); w.WriteValue(Buckets(have));
            w.WritePropertyName("peers"); w.WriteStartArray();
            foreach (var p in peer.Peers)
            {
                w.WriteStartObject();
                w.WritePropertyName("endPoint"); w.WriteValue(p.EndPoint);
                w.WritePropertyName("client"); w.WriteValue(p.Client);
                w.WritePropertyName("progress"); w.WriteValue(p.Progress);
                w.WritePropertyName("down"); w.WriteValue(p.DownloadRate);
                w.WritePropertyName("up"); w.WriteValue(p.UploadRate);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }

        static string Buckets(Bitfield have)
        {
            int buckets = Math.Min(PieceBuckets, Math.Max(1, have.Count));
            var chars = new char[buckets];
            for (int b = 0; b < buckets; b++)
            {
                int from = (int)((long)have.Count * b / buckets), to = (int)((long)have.Count * (b + 1) / buckets);
                int set = 0;
                for (int i = from; i < to; i++) if (have[i]) set++;
                int level = to > from ? (int)Math.Round(15.0 * set / (to - from)) : 0;
                chars[b] = "0123456789abcdef"[level];
            }
            return new string(chars);
        }
    }

    /// <summary>What the once-a-second status carries.</summary>
    internal sealed class DashboardStatus
    {
        public string Version;
        public double Seconds;
        public bool Virtual;
        public readonly Dictionary<string, long> Counters = new Dictionary<string, long>();
        public long EventsSent, EventsDropped;
        public readonly List<KeyValuePair<string, BitTorrentPeer>> Swarm = new List<KeyValuePair<string, BitTorrentPeer>>();
        /// <summary>Per protocol with a table of its own (Chord, Napster), its counters; only protocols the scope has.</summary>
        public readonly List<KeyValuePair<string, Dictionary<string, long>>> Protocols = new List<KeyValuePair<string, Dictionary<string, long>>>();
    }
}
