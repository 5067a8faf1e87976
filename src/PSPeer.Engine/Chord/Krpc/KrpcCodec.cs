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

        // ---- encoding ----
        // Straight into bytes with BencodeWriter, keys in raw byte order: envelope a < e < q < r < t < y; arguments
        // after < from < id < leaving < left < skip < target < to < token < ttl < v; responses hops < id < items < left <
        // more < next < node < nodes < owner < path < taken < token < values. Values are byte strings, written as given.

        [ThreadStatic] static BencodeWriter t_writer;

        public static byte[] Encode(KrpcMessage m)
        {
            if (m == null) throw new ArgumentNullException(nameof(m));
            if (m.TransactionId == null) throw new ArgumentException("A message needs a transaction id.", nameof(m));
            var w = t_writer ?? (t_writer = new BencodeWriter(512));
            w.Clear();
            w.BeginDictionary();
            switch (m.Kind)
            {
                case KrpcKind.Query:
                    w.Key("a");
                    Arguments(w, m);
                    w.Key("q").Text(m.Method);
                    w.Key("t").String(m.TransactionId);
                    w.Key("y").Text("q");
                    break;
                case KrpcKind.Response:
                    w.Key("r");
                    ResponseBody(w, m);
                    w.Key("t").String(m.TransactionId);
                    w.Key("y").Text("r");
                    break;
                default:
                    w.Key("e").BeginList().Integer(m.ErrorCode).Text(m.ErrorMessage ?? "").End();
                    w.Key("t").String(m.TransactionId);
                    w.Key("y").Text("e");
                    break;
            }
            w.End();
            return w.ToArray();
        }

        static void Arguments(BencodeWriter w, KrpcMessage m)
        {
            w.BeginDictionary();
            bool transfer = m.Method == KrpcMethod.Transfer;
            if (transfer && m.After.HasValue) Id(w.Key("after"), m.After.Value);
            if (transfer && m.FromId.HasValue) Id(w.Key("from"), m.FromId.Value);
            else if (!transfer && m.FromIndex.HasValue) w.Key("from").Integer(m.FromIndex.Value);
            Id(w.Key("id"), m.SenderId);
            if (m.Method == KrpcMethod.Notify && m.Leaving != null) Contacts(w.Key("leaving"), m.Leaving);
            if (!transfer && m.Left.HasValue) w.Key("left").Integer(m.Left.Value);
            if (!transfer && m.Skip != null && m.Skip.Count > 0)
            {
                int at = w.Key("skip").BeginString(m.Skip.Count * ChordId.Length);
                for (int i = 0; i < m.Skip.Count; i++) m.Skip[i].WriteTo(w.Buffer, at + i * ChordId.Length);
            }
            if (!transfer && m.Target.HasValue) Id(w.Key("target"), m.Target.Value);
            if (transfer && m.ToId.HasValue) Id(w.Key("to"), m.ToId.Value);
            if (!transfer && m.Token != null) w.Key("token").String(m.Token);
            if (!transfer && m.Ttl.HasValue) w.Key("ttl").Integer(m.Ttl.Value);
            if (!transfer && m.Value != null) w.Key("v").String(m.Value);
            w.End();
        }

        static void ResponseBody(BencodeWriter w, KrpcMessage m)
        {
            w.BeginDictionary();
            if (m.Hops.HasValue) w.Key("hops").Integer(m.Hops.Value);
            Id(w.Key("id"), m.SenderId);
            if (m.Items != null)
            {
                w.Key("items").BeginList();
                foreach (var item in m.Items)
                {
                    Id(w.BeginList(), item.KeyId);
                    w.BeginList();
                    foreach (var v in item.Values) w.String(v);
                    w.End().End();
                }
                w.End();
                if (m.Items.Count > 0 && AllHaveLifetimes(m.Items))
                {
                    w.Key("left").BeginList();
                    foreach (var item in m.Items)
                    {
                        w.BeginList();
                        foreach (var left in item.Left) w.Integer(left);
                        w.End();
                    }
                    w.End();
                }
            }
            if (m.MoreIndex.HasValue) w.Key("more").Integer(m.MoreIndex.Value);
            else if (m.MoreId.HasValue) Id(w.Key("more"), m.MoreId.Value);
            if (m.Next != null) Contact(w.Key("next"), m.Next);
            if (m.Node != null) Contact(w.Key("node"), m.Node);
            if (m.Nodes != null) Contacts(w.Key("nodes"), m.Nodes);
            if (m.Owner != null) Contact(w.Key("owner"), m.Owner);
            if (m.Path != null) Contacts(w.Key("path"), m.Path);
            if (m.Taken.HasValue) w.Key("taken").Integer(m.Taken.Value);
            if (m.Token != null) w.Key("token").String(m.Token);
            if (m.Values != null)
            {
                w.Key("values").BeginList();
                foreach (var v in m.Values) w.String(v);
                w.End();
            }
            w.End();
        }

        // "left" is all or nothing: its lists stand for the items in order.
        static bool AllHaveLifetimes(IReadOnlyList<KrpcItem> items)
        {
            foreach (var item in items) if (item.Left == null) return false;
            return true;
        }

        static void Id(BencodeWriter w, ChordId id) => id.WriteTo(w.Buffer, w.BeginString(ChordId.Length));

        static void Contact(BencodeWriter w, ChordContact c) => CompactNode.Write(c, w.Buffer, w.BeginString(CompactNode.Length));

        static void Contacts(BencodeWriter w, IReadOnlyList<ChordContact> list)
        {
            int at = w.BeginString(list.Count * CompactNode.Length);
            for (int i = 0; i < list.Count; i++) CompactNode.Write(list[i], w.Buffer, at + i * CompactNode.Length);
        }

        /// <summary>Bytes a value adds to an encoded list: its length prefix, the colon and its bytes.</summary>
        public static int EncodedLength(byte[] value) => value.Length + 1 + Digits(value.Length);

        /// <summary>Bytes a transfer item adds to the "items" list, and to the "left" list when it carries lifetimes.</summary>
        public static int EncodedLength(KrpcItem item)
        {
            int n = 2 + 23 + 2; // "l" "20:<id>" "l" ... "e" "e"
            foreach (var v in item.Values) n += EncodedLength(v);
            if (item.Left != null)
            {
                n += 2; // "l" ... "e"
                foreach (var left in item.Left) n += 2 + Digits(left);
            }
            return n;
        }

        static int Digits(long n)
        {
            int digits = n < 0 ? 2 : 1;
            for (n = Math.Abs(n); n >= 10; n /= 10) digits++;
            return digits;
        }

        // ---- decoding ----
        // One pass over the envelope and one over "a" or "r" note where each known key's value starts (unknown keys are
        // skipped, a known key twice is refused); then the fields are read from there by what the method expects.

        static readonly string[] EnvelopeKeys = { "a", "e", "q", "r", "t", "y" };
        const int KeyA = 0, KeyE = 1, KeyQ = 2, KeyR = 3, KeyT = 4, KeyY = 5;
        static readonly string[] ArgumentKeys = { "after", "from", "id", "skip", "target", "to", "token", "ttl", "v", "leaving", "left" };
        const int ArgAfter = 0, ArgFrom = 1, ArgId = 2, ArgSkip = 3, ArgTarget = 4, ArgTo = 5, ArgToken = 6, ArgTtl = 7, ArgV = 8, ArgLeaving = 9, ArgLeft = 10;
        static readonly string[] ResponseKeys = { "hops", "id", "items", "more", "next", "node", "nodes", "owner", "path", "token", "values", "left", "taken" };
        const int RHops = 0, RId = 1, RItems = 2, RMore = 3, RNext = 4, RNode = 5, RNodes = 6, ROwner = 7, RPath = 8, RToken = 9, RValues = 10, RLeft = 11, RTaken = 12;

        /// <summary>A field of the wrong shape: the message is malformed (the reason is in the text).</summary>
        sealed class FieldException : Exception
        {
            public FieldException(string message) : base(message) { }
        }

        /// <summary>
        /// Reads one datagram. On <see cref="KrpcDecodeStatus.Ok"/> <paramref name="message"/> is whole; on Malformed and
        /// UnknownMethod it holds the transaction id to answer with; on Dropped it is null. <paramref name="problem"/>
        /// says what was wrong (null when nothing was).
        /// </summary>
        public static KrpcDecodeStatus Decode(byte[] data, int offset, int count, out KrpcMessage message, out string problem)
        {
            message = null;
            problem = null;
            if (data == null || offset < 0 || count < 0 || offset > data.Length - count) { problem = "no data"; return KrpcDecodeStatus.Dropped; }
            if (count > MaxDatagramSize) { problem = $"a datagram of {count} bytes (at most {MaxDatagramSize})"; return KrpcDecodeStatus.Dropped; }
            var r = new BencodeReader(data, offset, count, 6);
            int[] at;
            try
            {
                if (r.AtEnd || r.Peek() != 'd') { problem = "not a dictionary"; return KrpcDecodeStatus.Dropped; }
                at = Fields(r, EnvelopeKeys);
                if (!r.AtEnd) { problem = "not bencode: data after the dictionary"; return KrpcDecodeStatus.Dropped; }
            }
            catch (BencodeException e) { problem = "not bencode: " + e.Message; return KrpcDecodeStatus.Dropped; }
            catch (FieldException e) { problem = e.Message; return KrpcDecodeStatus.Dropped; }

            var m = new KrpcMessage();
            try
            {
                m.TransactionId = Bytes(r, at[KeyT], "t");
                if (m.TransactionId == null || m.TransactionId.Length == 0 || m.TransactionId.Length > MaxTransactionIdLength)
                { problem = "no usable transaction id"; return KrpcDecodeStatus.Dropped; }
                var y = Bytes(r, at[KeyY], "y");
                char kind = y != null && y.Length == 1 ? (char)y[0] : '?';
                switch (kind)
                {
                    case 'q':
                        m.Kind = KrpcKind.Query;
                        message = m;
                        try { return DecodeQuery(r, at, m, out problem); }
                        catch (BencodeException e) { problem = "bad arguments: " + e.Message; return KrpcDecodeStatus.Malformed; }
                        catch (FieldException e) { problem = e.Message; return KrpcDecodeStatus.Malformed; }
                    case 'r':
                        m.Kind = KrpcKind.Response;
                        if (at[KeyR] < 0) { problem = "a response without \"r\""; return KrpcDecodeStatus.Dropped; }
                        DecodeResponse(r, at[KeyR], m);
                        message = m;
                        return KrpcDecodeStatus.Ok;
                    case 'e':
                        m.Kind = KrpcKind.Error;
                        if (at[KeyE] < 0) throw new FieldException("an error that is not [code, message]");
                        r.Position = at[KeyE];
                        if (r.Peek() != 'l') throw new FieldException("an error that is not [code, message]");
                        r.EnterList();
                        if (r.Peek() != 'i') throw new FieldException("an error that is not [code, message]");
                        long code = r.ReadInteger();
                        if (r.Peek() != 's' || code < 0 || code > 999) throw new FieldException("an error that is not [code, message]");
                        r.ReadString(out int ts, out int tl);
                        m.ErrorCode = (int)code;
                        m.ErrorMessage = Utf8.GetString(data, ts, tl);
                        message = m;
                        return KrpcDecodeStatus.Ok;
                    default:
                        problem = "\"y\" is not q, r or e";
                        return KrpcDecodeStatus.Dropped;
                }
            }
            catch (BencodeException e) { problem = "not bencode: " + e.Message; message = null; return KrpcDecodeStatus.Dropped; }
            catch (FieldException e) { problem = e.Message; message = null; return KrpcDecodeStatus.Dropped; }
        }

        static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, false);

        /// <summary>Reads a dictionary at the reader's position: where each of <paramref name="names"/> has its value (−1 when absent).</summary>
        static int[] Fields(BencodeReader r, string[] names)
        {
            var at = new int[names.Length];
            for (int i = 0; i < at.Length; i++) at[i] = -1;
            r.EnterDictionary();
            while (!r.TryReadEnd())
            {
                if (r.Peek() != 's') throw new FieldException("a dictionary key that is not a string");
                r.ReadString(out int ks, out int kl);
                int found = -1;
                for (int i = 0; i < names.Length; i++) if (r.Equals(ks, kl, names[i])) { found = i; break; }
                if (found >= 0)
                {
                    if (at[found] >= 0) throw new FieldException("duplicate key \"" + names[found] + "\"");
                    at[found] = r.Position;
                }
                r.Skip();
            }
            return at;
        }

        static int[] FieldsAt(BencodeReader r, int position, string[] names, string what)
        {
            r.Position = position;
            if (r.Peek() != 'd') throw new FieldException(what + " is not a dictionary");
            return Fields(r, names);
        }

        static byte[] Bytes(BencodeReader r, int position, string key)
        {
            if (position < 0) return null;
            r.Position = position;
            if (r.Peek() != 's') throw new FieldException($"\"{key}\" is not a string");
            return r.ReadBytes();
        }

        static long? Integer(BencodeReader r, int position, string key)
        {
            if (position < 0) return null;
            r.Position = position;
            if (r.Peek() != 'i') throw new FieldException($"\"{key}\" is not an integer");
            return r.ReadInteger();
        }

        static ChordId? Id(BencodeReader r, int position, string key, bool required)
        {
            if (position < 0)
            {
                if (required) throw new FieldException($"\"{key}\" is missing");
                return null;
            }
            r.Position = position;
            if (r.Peek() != 's') throw new FieldException($"\"{key}\" is not a 20-byte id");
            r.ReadString(out int start, out int length);
            if (length != ChordId.Length) throw new FieldException($"\"{key}\" is not a 20-byte id");
            return ChordId.FromBytes(r.Data, start);
        }

        static ChordContact Contact(BencodeReader r, int position, string key)
        {
            if (position < 0) return null;
            r.Position = position;
            if (r.Peek() != 's') throw new FieldException($"\"{key}\" is not a 26-byte compact node");
            r.ReadString(out int start, out int length);
            if (length != CompactNode.Length) throw new FieldException($"\"{key}\" is not a 26-byte compact node");
            return CompactNode.Read(r.Data, start);
        }

        static IReadOnlyList<ChordContact> Contacts(BencodeReader r, int position, string key)
        {
            if (position < 0) return null;
            r.Position = position;
            if (r.Peek() != 's') throw new FieldException($"\"{key}\" is not a list of 26-byte compact nodes");
            r.ReadString(out int start, out int length);
            if (length % CompactNode.Length != 0) throw new FieldException($"\"{key}\" is not a list of 26-byte compact nodes");
            var list = new ChordContact[length / CompactNode.Length];
            for (int i = 0; i < list.Length; i++) list[i] = CompactNode.Read(r.Data, start + i * CompactNode.Length);
            return list;
        }

        static byte[][] Strings(BencodeReader r, string key)
        {
            if (r.Peek() != 'l') throw new FieldException($"\"{key}\" is not a list of strings");
            r.EnterList();
            var values = new List<byte[]>();
            while (!r.TryReadEnd())
            {
                if (r.Peek() != 's') throw new FieldException($"\"{key}\" is not a list of strings");
                values.Add(r.ReadBytes());
            }
            return values.ToArray();
        }

        /// <summary>"left" of a transfer response: per item a list of seconds; null when it does not match the items (then it is ignored).</summary>
        static List<long[]> Lifetimes(BencodeReader r, IReadOnlyList<KrpcItem> items)
        {
            const string shape = "\"left\" is not a list of lists of seconds";
            if (r.Peek() != 'l') throw new FieldException(shape);
            r.EnterList();
            var lists = new List<long[]>();
            var one = new List<long>();
            while (!r.TryReadEnd())
            {
                if (r.Peek() != 'l') throw new FieldException(shape);
                r.EnterList();
                one.Clear();
                while (!r.TryReadEnd())
                {
                    if (r.Peek() != 'i') throw new FieldException(shape);
                    long left = r.ReadInteger();
                    if (left < 0) throw new FieldException(shape);
                    one.Add(left);
                }
                lists.Add(one.ToArray());
            }
            if (items == null || lists.Count != items.Count) return null;
            for (int i = 0; i < lists.Count; i++) if (lists[i].Length != items[i].Values.Count) return null;
            return lists;
        }

        static string Method(BencodeReader r, int position)
        {
            if (position < 0) return null;
            r.Position = position;
            if (r.Peek() != 's') throw new FieldException("\"q\" is not a string");
            r.ReadString(out int start, out int length);
            foreach (var known in KrpcMethod.All) if (r.Equals(start, length, known)) return known;
            return Utf8.GetString(r.Data, start, length);
        }

        static KrpcDecodeStatus DecodeQuery(BencodeReader r, int[] envelope, KrpcMessage m, out string problem)
        {
            problem = null;
            m.Method = Method(r, envelope[KeyQ]);
            if (m.Method == null) { problem = "a query without \"q\""; return KrpcDecodeStatus.Malformed; }
            if (envelope[KeyA] < 0) { problem = "a query without arguments"; return KrpcDecodeStatus.Malformed; }
            var a = FieldsAt(r, envelope[KeyA], ArgumentKeys, "\"a\"");
            m.SenderId = Id(r, a[ArgId], "id", true).Value;
            switch (m.Method)
            {
                case KrpcMethod.Ping:
                case KrpcMethod.GetPredecessor:
                case KrpcMethod.GetSuccessors:
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.Notify:
                    m.Leaving = Contacts(r, a[ArgLeaving], "leaving");
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.ClosestPreceding:
                    m.Target = Id(r, a[ArgTarget], "target", true);
                    var skip = Bytes(r, a[ArgSkip], "skip");
                    if (skip != null)
                    {
                        if (skip.Length % ChordId.Length != 0 || skip.Length / ChordId.Length > MaxSkip)
                            throw new FieldException("\"skip\" is not a list of at most 16 ids");
                        var ids = new ChordId[skip.Length / ChordId.Length];
                        for (int i = 0; i < ids.Length; i++) ids[i] = ChordId.FromBytes(skip, i * ChordId.Length);
                        m.Skip = ids;
                    }
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.FindSuccessor:
                    m.Target = Id(r, a[ArgTarget], "target", true);
                    var ttl = Integer(r, a[ArgTtl], "ttl");
                    if (ttl < 0) throw new FieldException("\"ttl\" is not a count");
                    if (ttl.HasValue) m.Ttl = (int)Math.Min(ttl.Value, int.MaxValue);
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.StoreValue:
                    m.Target = Id(r, a[ArgTarget], "target", true);
                    // A value is a byte string: any bytes, kept as they came (a binary file pointer, or UTF-8 text).
                    m.Value = Bytes(r, a[ArgV], "v") ?? throw new FieldException("store_value without \"v\"");
                    m.Token = Bytes(r, a[ArgToken], "token");
                    var left = Integer(r, a[ArgLeft], "left");
                    if (left < 0) throw new FieldException("\"left\" is not a count of seconds");
                    m.Left = left;
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.GetValues:
                    m.Target = Id(r, a[ArgTarget], "target", true);
                    var from = Integer(r, a[ArgFrom], "from");
                    if (from < 0) throw new FieldException("\"from\" is not an index");
                    if (from.HasValue) m.FromIndex = (int)Math.Min(from.Value, int.MaxValue);
                    return KrpcDecodeStatus.Ok;
                case KrpcMethod.Transfer:
                    m.FromId = Id(r, a[ArgFrom], "from", true);
                    m.ToId = Id(r, a[ArgTo], "to", true);
                    m.After = Id(r, a[ArgAfter], "after", false);
                    return KrpcDecodeStatus.Ok;
                default:
                    problem = "unknown method \"" + m.Method + "\"";
                    return KrpcDecodeStatus.UnknownMethod;
            }
        }

        static void DecodeResponse(BencodeReader r, int position, KrpcMessage m)
        {
            var f = FieldsAt(r, position, ResponseKeys, "\"r\"");
            m.SenderId = Id(r, f[RId], "id", true).Value;
            m.Node = Contact(r, f[RNode], "node");
            m.Owner = Contact(r, f[ROwner], "owner");
            m.Next = Contact(r, f[RNext], "next");
            m.Nodes = Contacts(r, f[RNodes], "nodes");
            m.Path = Contacts(r, f[RPath], "path");
            var hops = Integer(r, f[RHops], "hops");
            if (hops < 0 || hops > 1000) throw new FieldException("\"hops\" is not a count");
            if (hops.HasValue) m.Hops = (int)hops.Value;
            m.Token = Bytes(r, f[RToken], "token");
            var taken = Integer(r, f[RTaken], "taken");
            if (taken < 0 || taken > int.MaxValue) throw new FieldException("\"taken\" is not a count");
            if (taken.HasValue) m.Taken = (int)taken.Value;
            if (f[RValues] >= 0)
            {
                r.Position = f[RValues];
                m.Values = Strings(r, "values");
            }
            if (f[RMore] >= 0)
            {
                r.Position = f[RMore];
                if (r.Peek() == 'i')
                {
                    long more = r.ReadInteger();
                    if (more < 0 || more > int.MaxValue) throw new FieldException("\"more\" is not an index");
                    m.MoreIndex = (int)more;
                }
                else m.MoreId = Id(r, f[RMore], "more", true);
            }
            if (f[RItems] >= 0)
            {
                r.Position = f[RItems];
                if (r.Peek() != 'l') throw new FieldException("\"items\" is not a list");
                r.EnterList();
                var items = new List<KrpcItem>();
                while (!r.TryReadEnd())
                {
                    if (r.Peek() != 'l') throw new FieldException("an item that is not [20-byte id, [values]]");
                    r.EnterList();
                    if (r.Peek() != 's') throw new FieldException("an item that is not [20-byte id, [values]]");
                    r.ReadString(out int ks, out int kl);
                    if (kl != ChordId.Length) throw new FieldException("an item that is not [20-byte id, [values]]");
                    var key = ChordId.FromBytes(r.Data, ks);
                    var values = Strings(r, "items");
                    while (!r.TryReadEnd()) r.Skip(); // more elements in an item: unknown, ignored
                    items.Add(new KrpcItem(key, values));
                }
                m.Items = items;
                if (f[RLeft] >= 0)
                {
                    r.Position = f[RLeft];
                    var lifetimes = Lifetimes(r, items);
                    if (lifetimes != null)
                        for (int i = 0; i < items.Count; i++) items[i] = new KrpcItem(items[i].KeyId, items[i].Values, lifetimes[i]);
                }
            }
        }
    }
}
