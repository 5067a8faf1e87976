using System;
using System.Collections.Generic;
using System.Text;
using PSPeer.Engine.Bencoding;

namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>
    /// Sans-IO KRPC for Chord (issue 12): one bencoded dictionary per datagram of at most <see cref="MaxDatagramSize"/>
    /// bytes. Decoding never throws: bad input comes back as a <see cref="KrpcDecodeStatus"/> and a reason. Unknown
    /// keys are ignored, as in BEP 5.
    /// </summary>
    public static class KrpcCodec
    {
        public const int MaxDatagramSize = 1400;
        /// <summary>Transaction ids longer than this are refused (BEP 5 uses two bytes).</summary>
        public const int MaxTransactionIdLength = 16;
        /// <summary>Ids a closest_preceding query may ask to skip.</summary>
        public const int MaxSkip = 16;

        static readonly BencodeLimits Limits = new BencodeLimits { MaxDepth = 6, MaxStringLength = MaxDatagramSize, MaxTotalBytes = MaxDatagramSize, MaxItems = 1024 };
        static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        // ---- encoding ----

        public static byte[] Encode(KrpcMessage m)
        {
            if (m == null) throw new ArgumentNullException(nameof(m));
            var root = new BDictionary();
            root["t"] = new BString(m.TransactionId ?? throw new ArgumentException("A message needs a transaction id.", nameof(m)));
            switch (m.Kind)
            {
                case KrpcKind.Query:
                    root["y"] = new BString("q");
                    root["q"] = new BString(m.Method);
                    root["a"] = Arguments(m);
                    break;
                case KrpcKind.Response:
                    root["y"] = new BString("r");
                    root["r"] = ResponseBody(m);
                    break;
                default:
                    root["y"] = new BString("e");
                    root["e"] = new BList { new BInteger(m.ErrorCode), new BString(m.ErrorMessage ?? "") };
                    break;
            }
            return Bencode.Encode(root);
        }

        static BDictionary Arguments(KrpcMessage m)
        {
            var a = new BDictionary { ["id"] = Id(m.SenderId) };
            if (m.Method == KrpcMethod.Transfer)
            {
                if (m.FromId.HasValue) a["from"] = Id(m.FromId.Value);
                if (m.ToId.HasValue) a["to"] = Id(m.ToId.Value);
                if (m.After.HasValue) a["after"] = Id(m.After.Value);
                return a;
            }
            if (m.Target.HasValue) a["target"] = Id(m.Target.Value);
            if (m.Ttl.HasValue) a["ttl"] = new BInteger(m.Ttl.Value);
            if (m.Value != null) a["v"] = new BString(m.Value);
            if (m.Token != null) a["token"] = new BString(m.Token);
            if (m.FromIndex.HasValue) a["from"] = new BInteger(m.FromIndex.Value);
            if (m.Skip != null && m.Skip.Count > 0)
            {
                var skip = new byte[m.Skip.Count * ChordId.Length];
                for (int i = 0; i < m.Skip.Count; i++) m.Skip[i].WriteTo(skip, i * ChordId.Length);
                a["skip"] = new BString(skip);
            }
            return a;
        }

        static BDictionary ResponseBody(KrpcMessage m)
        {
            var r = new BDictionary { ["id"] = Id(m.SenderId) };
            if (m.Node != null) r["node"] = new BString(CompactNode.Encode(m.Node));
            if (m.Nodes != null) r["nodes"] = new BString(CompactNode.Encode(m.Nodes));
            if (m.Owner != null) r["owner"] = new BString(CompactNode.Encode(m.Owner));
            if (m.Next != null) r["next"] = new BString(CompactNode.Encode(m.Next));
            if (m.Hops.HasValue) r["hops"] = new BInteger(m.Hops.Value);
            if (m.Path != null) r["path"] = new BString(CompactNode.Encode(m.Path));
            if (m.Token != null) r["token"] = new BString(m.Token);
            if (m.Values != null)
            {
                var values = new BList();
                foreach (var v in m.Values) values.Add(new BString(v));
                r["values"] = values;
            }
            if (m.MoreIndex.HasValue) r["more"] = new BInteger(m.MoreIndex.Value);
            else if (m.MoreId.HasValue) r["more"] = Id(m.MoreId.Value);
            if (m.Items != null)
            {
                var items = new BList();
                foreach (var item in m.Items)
                {
                    var values = new BList();
                    foreach (var v in item.Values) values.Add(new BString(v));
                    items.Add(new BList { Id(item.KeyId), values });
                }
                r["items"] = items;
            }
            return r;
        }

        static BString Id(ChordId id) => new BString(id.ToBytes());

        /// <summary>Bytes a string adds to an encoded list: its length prefix, the colon and its UTF-8 bytes.</summary>
        public static int EncodedLength(string value)
        {
            int n = Encoding.UTF8.GetByteCount(value);
            return n + 1 + Digits(n);
        }

        /// <summary>Bytes a transfer item adds to the "items" list.</summary>
        public static int EncodedLength(KrpcItem item)
        {
            int n = 2 + 23 + 2; // "l" "20:<id>" "l" ... "e" "e"
            foreach (var v in item.Values) n += EncodedLength(v);
            return n;
        }

        static int Digits(int n) => n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 10;

        // ---- decoding ----

        /// <summary>
        /// Reads one datagram. On <see cref="KrpcDecodeStatus.Ok"/> <paramref name="message"/> is whole; on Malformed and
        /// UnknownMethod it holds the transaction id to answer with; on Dropped it is null. <paramref name="problem"/>
        /// says what was wrong (null when nothing was).
        /// </summary>
        public static KrpcDecodeStatus Decode(byte[] data, int offset, int count, out KrpcMessage message, out string problem)
        {
            message = null;
            problem = null;
            if (count > MaxDatagramSize) { problem = $"a datagram of {count} bytes (at most {MaxDatagramSize})"; return KrpcDecodeStatus.Dropped; }
            BDictionary root;
            try
            {
                root = Bencode.Decode(data, offset, count, Limits) as BDictionary;
            }
            catch (BencodeException e) { problem = "not bencode: " + e.Message; return KrpcDecodeStatus.Dropped; }
            catch (Exception e) when (e is ArgumentException || e is FormatException || e is OverflowException) { problem = "not bencode: " + e.Message; return KrpcDecodeStatus.Dropped; }
            if (root == null) { problem = "not a dictionary"; return KrpcDecodeStatus.Dropped; }
            var t = root.GetBytes("t");
            if (t == null || t.Length == 0 || t.Length > MaxTransactionIdLength) { problem = "no usable transaction id"; return KrpcDecodeStatus.Dropped; }
            var y = root.GetText("y");
            var m = new KrpcMessage { TransactionId = t };
            switch (y)
            {
                case "q":
                    m.Kind = KrpcKind.Query;
                    message = m;
                    return DecodeQuery(root, m, out problem);
                case "r":
                    m.Kind = KrpcKind.Response;
                    if (!DecodeResponse(root.GetDictionary("r"), m, out problem)) return KrpcDecodeStatus.Dropped;
                    message = m;
                    return KrpcDecodeStatus.Ok;
                case "e":
                    m.Kind = KrpcKind.Error;
                    var e = root.GetList("e");
                    if (e == null || e.Count < 2 || !(e[0] is BInteger code) || !(e[1] is BString text) || code.Value < 0 || code.Value > 999)
                    { problem = "an error that is not [code, message]"; return KrpcDecodeStatus.Dropped; }
                    m.ErrorCode = (int)code.Value;
                    m.ErrorMessage = text.Text;
                    message = m;
                    return KrpcDecodeStatus.Ok;
                default:
                    problem = "\"y\" is not q, r or e";
                    return KrpcDecodeStatus.Dropped;
            }
        }

        static KrpcDecodeStatus DecodeQuery(BDictionary root, KrpcMessage m, out string problem)
        {
            problem = null;
            m.Method = root.GetText("q");
            if (m.Method == null) { problem = "a query without \"q\""; return KrpcDecodeStatus.Malformed; }
            var a = root.GetDictionary("a");
            if (a == null) { problem = "a query without arguments"; return KrpcDecodeStatus.Malformed; }
            if (!ReadId(a, "id", true, out m.SenderId, ref problem)) return KrpcDecodeStatus.Malformed;
            switch (m.Method)
            {
                case KrpcMethod.Ping:
                case KrpcMethod.GetPredecessor:
                case KrpcMethod.GetSuccessors:
                case KrpcMethod.Notify:
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.ClosestPreceding:
                    if (!ReadTarget(a, m, ref problem)) return KrpcDecodeStatus.Malformed;
                    if (a["skip"] != null)
                    {
                        var skip = a.GetBytes("skip");
                        if (skip == null || skip.Length % ChordId.Length != 0 || skip.Length / ChordId.Length > MaxSkip)
                        { problem = "\"skip\" is not a list of at most 16 ids"; return KrpcDecodeStatus.Malformed; }
                        var ids = new ChordId[skip.Length / ChordId.Length];
                        for (int i = 0; i < ids.Length; i++) ids[i] = ChordId.FromBytes(skip, i * ChordId.Length);
                        m.Skip = ids;
                    }
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.FindSuccessor:
                    if (!ReadTarget(a, m, ref problem)) return KrpcDecodeStatus.Malformed;
                    if (a["ttl"] != null)
                    {
                        var ttl = a.GetInteger("ttl");
                        if (ttl == null || ttl < 0) { problem = "\"ttl\" is not a count"; return KrpcDecodeStatus.Malformed; }
                        m.Ttl = (int)Math.Min(ttl.Value, int.MaxValue);
                    }
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.StoreValue:
                    if (!ReadTarget(a, m, ref problem)) return KrpcDecodeStatus.Malformed;
                    var v = a.GetBytes("v");
                    if (v == null) { problem = "store_value without \"v\""; return KrpcDecodeStatus.Malformed; }
                    try { m.Value = StrictUtf8.GetString(v); }
                    catch (ArgumentException) { problem = "\"v\" is not UTF-8 text"; return KrpcDecodeStatus.Malformed; }
                    m.Token = a.GetBytes("token");
                    if (a["token"] != null && m.Token == null) { problem = "\"token\" is not a string"; return KrpcDecodeStatus.Malformed; }
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.GetValues:
                    if (!ReadTarget(a, m, ref problem)) return KrpcDecodeStatus.Malformed;
                    if (a["from"] != null)
                    {
                        var from = a.GetInteger("from");
                        if (from == null || from < 0) { problem = "\"from\" is not an index"; return KrpcDecodeStatus.Malformed; }
                        m.FromIndex = (int)Math.Min(from.Value, int.MaxValue);
                    }
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.Transfer:
                    if (!ReadId(a, "from", true, out var fromId, ref problem) || !ReadId(a, "to", true, out var toId, ref problem) ||
                        !ReadId(a, "after", false, out var after, ref problem)) return KrpcDecodeStatus.Malformed;
                    m.FromId = fromId;
                    m.ToId = toId;
                    if (a["after"] != null) m.After = after;
                    return KrpcDecodeStatus.Ok;
                default:
                    problem = "unknown method \"" + m.Method + "\"";
                    return KrpcDecodeStatus.UnknownMethod;
            }
        }

        static bool ReadTarget(BDictionary a, KrpcMessage m, ref string problem)
        {
            if (!ReadId(a, "target", true, out var target, ref problem)) return false;
            m.Target = target;
            return true;
        }

        static bool ReadId(BDictionary d, string key, bool required, out ChordId id, ref string problem)
        {
            id = default;
            var value = d[key];
            if (value == null)
            {
                if (required) problem = $"\"{key}\" is missing";
                return !required;
            }
            var bytes = (value as BString)?.Bytes;
            if (bytes == null || bytes.Length != ChordId.Length) { problem = $"\"{key}\" is not a 20-byte id"; return false; }
            id = ChordId.FromBytes(bytes);
            return true;
        }

        static bool DecodeResponse(BDictionary r, KrpcMessage m, out string problem)
        {
            problem = null;
            if (r == null) { problem = "a response without \"r\""; return false; }
            if (!ReadId(r, "id", true, out m.SenderId, ref problem)) return false;
            if (!ReadContact(r, "node", out m.Node, ref problem) || !ReadContact(r, "owner", out m.Owner, ref problem) ||
                !ReadContact(r, "next", out m.Next, ref problem)) return false;
            if (!ReadContacts(r, "nodes", out var nodes, ref problem) || !ReadContacts(r, "path", out var path, ref problem)) return false;
            m.Nodes = nodes;
            m.Path = path;
            if (r["hops"] != null)
            {
                var hops = r.GetInteger("hops");
                if (hops == null || hops < 0 || hops > 1000) { problem = "\"hops\" is not a count"; return false; }
                m.Hops = (int)hops.Value;
            }
            if (r["token"] != null && (m.Token = r.GetBytes("token")) == null) { problem = "\"token\" is not a string"; return false; }
            if (r["values"] != null)
            {
                var list = r.GetList("values");
                if (list == null || !ReadStrings(list, out var values)) { problem = "\"values\" is not a list of strings"; return false; }
                m.Values = values;
            }
            var more = r["more"];
            if (more is BInteger index)
            {
                if (index.Value < 0 || index.Value > int.MaxValue) { problem = "\"more\" is not an index"; return false; }
                m.MoreIndex = (int)index.Value;
            }
            else if (more != null)
            {
                if (!ReadId(r, "more", true, out var moreId, ref problem)) return false;
                m.MoreId = moreId;
            }
            if (r["items"] != null)
            {
                var list = r.GetList("items");
                if (list == null) { problem = "\"items\" is not a list"; return false; }
                var items = new List<KrpcItem>(list.Count);
                foreach (var entry in list)
                {
                    var pair = entry as BList;
                    var key = (pair != null && pair.Count >= 2 ? pair[0] as BString : null)?.Bytes;
                    var values = pair != null && pair.Count >= 2 ? pair[1] as BList : null;
                    if (key == null || key.Length != ChordId.Length || values == null || !ReadStrings(values, out var texts))
                    { problem = "an item that is not [20-byte id, [values]]"; return false; }
                    items.Add(new KrpcItem(ChordId.FromBytes(key), texts));
                }
                m.Items = items;
            }
            return true;
        }

        static bool ReadContact(BDictionary d, string key, out ChordContact contact, ref string problem)
        {
            contact = null;
            if (d[key] == null) return true;
            var bytes = d.GetBytes(key);
            if (bytes == null || bytes.Length != CompactNode.Length) { problem = $"\"{key}\" is not a 26-byte compact node"; return false; }
            contact = CompactNode.Read(bytes, 0);
            return true;
        }

        static bool ReadContacts(BDictionary d, string key, out IReadOnlyList<ChordContact> contacts, ref string problem)
        {
            contacts = null;
            if (d[key] == null) return true;
            var list = CompactNode.ReadList(d.GetBytes(key));
            if (list == null) { problem = $"\"{key}\" is not a list of 26-byte compact nodes"; return false; }
            contacts = list;
            return true;
        }

        static bool ReadStrings(BList list, out IReadOnlyList<string> texts)
        {
            var result = new string[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                if (!(list[i] is BString s)) { texts = null; return false; }
                result[i] = s.Text;
            }
            texts = result;
            return true;
        }
    }
}
