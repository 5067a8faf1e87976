using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Sans-IO encoding and decoding of descriptors (RFC-Gnutella 0.6 layouts, HUGE urns, QRP updates). Encoding
    /// refuses caller mistakes with ArgumentException; decoding refuses anything a peer got wrong with
    /// <see cref="GnutellaProtocolException"/> and nothing else.
    /// </summary>
    public static class GnutellaCodec
    {
        const int PongSize = 14, PushSize = 26;

        /// <summary>Header and payload as one array, ready to write to a link.</summary>
        public static byte[] Encode(GnutellaGuid id, byte ttl, byte hops, GnutellaPayload payload)
        {
            if (payload == null) throw new ArgumentNullException(nameof(payload));
            var ms = Scratch();
            ms.Write(NoHeader, 0, DescriptorHeader.Size);
            WritePayload(ms, payload);
            var frame = ms.ToArray();
            new DescriptorHeader(id, payload.Type, ttl, hops, frame.Length - DescriptorHeader.Size).Write(frame, 0);
            return frame;
        }

        /// <summary>
        /// A descriptor from a header and payload bytes as received (forwarding without re-encoding); the header's
        /// PayloadLength is taken from <paramref name="payload"/>.
        /// </summary>
        public static byte[] Encode(DescriptorHeader header, byte[] payload)
        {
            if (payload == null) throw new ArgumentNullException(nameof(payload));
            var frame = new byte[DescriptorHeader.Size + payload.Length];
            header.PayloadLength = payload.Length;
            header.Write(frame, 0);
            Buffer.BlockCopy(payload, 0, frame, DescriptorHeader.Size, payload.Length);
            return frame;
        }

        /// <summary>Only the payload bytes of <paramref name="payload"/>.</summary>
        public static byte[] EncodePayload(GnutellaPayload payload)
        {
            if (payload == null) throw new ArgumentNullException(nameof(payload));
            var ms = Scratch();
            WritePayload(ms, payload);
            return ms.ToArray();
        }

        // Every message sent is encoded here: one stream per thread, emptied each time, so a message costs only its
        // bytes (WritePayload never encodes a message itself, so the stream is never in use twice).
        [ThreadStatic] static MemoryStream _scratch;
        static readonly byte[] NoHeader = new byte[DescriptorHeader.Size];

        static MemoryStream Scratch()
        {
            var ms = _scratch;
            if (ms == null || ms.Capacity > 1 << 20) _scratch = ms = new MemoryStream(256);   // a huge hit is not kept
            ms.SetLength(0);
            return ms;
        }

        /// <summary>
        /// Decodes a payload of the header's type (an <see cref="IgnoredExtension"/> for the extension types real servents
        /// send unasked); <see cref="GnutellaProtocolException"/> when it is malformed or of an unknown type.
        /// </summary>
        public static GnutellaPayload DecodePayload(DescriptorHeader header, byte[] payload, int offset, int count)
        {
            var decoded = Decode(header, payload, offset, count, shareQueries: false);
            // The caller may reuse its buffer: a QueryHit's results are made now, not from those bytes later.
            if (decoded is QueryHit hit) _ = hit.Results;
            return decoded;
        }

        /// <summary>
        /// <see cref="DecodePayload"/> for a payload array that nobody changes afterwards (the frame decoder's own): a
        /// QueryHit is checked whole but its results are made from the array only when asked for, and a QRP patch's
        /// data stays in the array.
        /// </summary>
        /// <remarks>
        /// A Query equal, byte for byte, to the last one decoded on this thread is that same object (see
        /// <see cref="DecodeSharedQuery"/>): what a read loop hands on is only read.
        /// </remarks>
        internal static GnutellaPayload DecodeOwnedPayload(DescriptorHeader header, byte[] payload, int offset, int count) =>
            Decode(header, payload, offset, count, shareQueries: true);

        static GnutellaPayload Decode(DescriptorHeader header, byte[] payload, int offset, int count, bool shareQueries)
        {
            if (payload == null) throw new ArgumentNullException(nameof(payload));
            if (offset < 0 || count < 0 || offset + count > payload.Length) throw new ArgumentOutOfRangeException(nameof(count));
            switch (header.Type)
            {
                case GnutellaPayloadType.Ping: return new Ping();
                case GnutellaPayloadType.Pong: { var r = new PayloadReader(payload, offset, count, "Pong"); return DecodePong(ref r); }
                case GnutellaPayloadType.Bye: { var r = new PayloadReader(payload, offset, count, "Bye"); return DecodeBye(ref r); }
                case GnutellaPayloadType.RouteTableUpdate: { var r = new PayloadReader(payload, offset, count, "Route table update"); return DecodeRouteTableUpdate(ref r, owned: shareQueries); }
                case GnutellaPayloadType.Push: { var r = new PayloadReader(payload, offset, count, "Push"); return DecodePush(ref r); }
                case GnutellaPayloadType.Query:
                    {
                        if (shareQueries) return DecodeSharedQuery(payload, offset, count);
                        var r = new PayloadReader(payload, offset, count, "Query");
                        return DecodeQuery(ref r);
                    }
                case GnutellaPayloadType.QueryHit: return DecodeQueryHit(payload, offset, count);
                case GnutellaPayloadType.VendorMessage:
                case GnutellaPayloadType.StandardVendorMessage:
                case GnutellaPayloadType.HorizonSizeEstimation:
                    return new IgnoredExtension(header.Type, count);
                default: throw new GnutellaProtocolException($"unknown payload type 0x{(byte)header.Type:X2}");
            }
        }

        /// <summary>True for the payload types this codec understands (not the ignored extensions).</summary>
        public static bool IsKnownType(GnutellaPayloadType type)
        {
            switch (type)
            {
                case GnutellaPayloadType.Ping:
                case GnutellaPayloadType.Pong:
                case GnutellaPayloadType.Bye:
                case GnutellaPayloadType.RouteTableUpdate:
                case GnutellaPayloadType.Push:
                case GnutellaPayloadType.Query:
                case GnutellaPayloadType.QueryHit:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// True for the extension types real servents send without being asked (vendor messages 0x31/0x32, HSEP 0xCD):
        /// a link reads past them instead of closing. Any other type PSPeer does not know still closes the link.
        /// </summary>
        public static bool IsIgnoredExtension(GnutellaPayloadType type) =>
            type == GnutellaPayloadType.VendorMessage || type == GnutellaPayloadType.StandardVendorMessage || type == GnutellaPayloadType.HorizonSizeEstimation;

        // ---- decoding ----

        static Pong DecodePong(ref PayloadReader r)
        {
            r.Need(PongSize);   // a GGEP block may follow (pong caching extensions); ignored
            return new Pong { Port = r.ReadUInt16(), Address = r.ReadIPv4(), FileCount = r.ReadUInt32(), KilobytesShared = r.ReadUInt32() };
        }

        static Push DecodePush(ref PayloadReader r)
        {
            r.Need(PushSize);
            return new Push { ServentId = r.ReadGuid(), FileIndex = r.ReadUInt32(), Address = r.ReadIPv4(), Port = r.ReadUInt16() };
        }

        static Bye DecodeBye(ref PayloadReader r)
        {
            ushort code = r.ReadUInt16();
            int nul = r.IndexOfNul(r.End);
            int end = nul < 0 ? r.End : nul;
            string reason = Encoding.UTF8.GetString(r.Buffer, r.Position, end - r.Position);
            // A reason may carry RFC 822 headers after a CRLF; the first line is the reason.
            int crlf = reason.IndexOf("\r\n", StringComparison.Ordinal);
            if (crlf >= 0) reason = reason.Substring(0, crlf);
            return new Bye { Code = code, Reason = reason };
        }

        // owned: nobody changes the payload array afterwards, so a patch may keep its data there (see QrpPatch.SetData).
        static RouteTableUpdate DecodeRouteTableUpdate(ref PayloadReader r, bool owned)
        {
            byte variant = r.ReadByte();
            if (variant == RouteTableUpdate.ResetVariant)
            {
                uint length = r.ReadUInt32();
                if (length > int.MaxValue) throw new GnutellaProtocolException($"QRP reset announces a table of {length} entries");
                return new QrpReset { TableLength = (int)length, Infinity = r.ReadByte() };
            }
            if (variant == RouteTableUpdate.PatchVariant)
            {
                var patch = new QrpPatch { SequenceNumber = r.ReadByte(), SequenceSize = r.ReadByte(), Compressor = r.ReadByte(), EntryBits = r.ReadByte() };
                if (owned) patch.SetData(r.Buffer, r.Position, r.Remaining);
                else patch.Data = r.ReadBytes(r.Remaining);
                return patch;
            }
            throw new GnutellaProtocolException($"unknown route table update variant 0x{variant:X2}");
        }

        static Query DecodeQuery(ref PayloadReader r)
        {
            // The flags word is the one big-endian field of the protocol (the min-speed proposal writes it so).
            ushort flags = (ushort)(r.ReadByte() << 8 | r.ReadByte());
            var query = new Query { Flags = flags, Criteria = Criteria(ref r) };
            var contents = t_queryContents ?? (t_queryContents = new ExtensionBlock.Contents());
            contents.Clear();
            ExtensionBlock.Parse(r.Buffer, r.Position, r.End, contents);
            query.Urns = contents.UrnArray();
            return query;
        }

        // A flood brings one query's copies to servent after servent on the same thread, and each copy's payload is the
        // same bytes: the last query a read loop decoded is kept with its bytes and handed out again while they are the
        // same, so a copy costs a comparison of a few dozen bytes instead of a Query, its parsing and its collection.
        // The servent only reads what it is handed (it keeps a query's parts, never changes them).
        [ThreadStatic] static byte[] t_lastQueryBytes;
        [ThreadStatic] static int t_lastQueryLength;
        [ThreadStatic] static Query t_lastQuery;

        static Query DecodeSharedQuery(byte[] payload, int offset, int count)
        {
            var last = t_lastQueryBytes;
            var kept = t_lastQuery;
            if (kept != null && count == t_lastQueryLength && SameBytes(payload, offset, last, count)) return kept;
            var r = new PayloadReader(payload, offset, count, "Query");
            var query = DecodeQuery(ref r);
            if (count <= MaxKeptCriteriaBytes)
            {
                if (last == null) t_lastQueryBytes = last = new byte[MaxKeptCriteriaBytes];
                Buffer.BlockCopy(payload, offset, last, 0, count);
                t_lastQueryLength = count;
                t_lastQuery = query;
            }
            return query;
        }

        // The criteria alone are shared the same way (queries whose flags or extensions differ may ask for the same
        // thing): the last criteria decoded is kept with its bytes and handed out again while they are the same (strings
        // do not change, so sharing one is safe). The block contents are one object per thread, emptied for each query (Parse never nests).
        [ThreadStatic] static byte[] t_lastCriteriaBytes;
        [ThreadStatic] static int t_lastCriteriaLength;
        [ThreadStatic] static string t_lastCriteria;
        [ThreadStatic] static ExtensionBlock.Contents t_queryContents;
        const int MaxKeptCriteriaBytes = 256;

        static string Criteria(ref PayloadReader r)
        {
            int start = r.Position;
            r.SkipNulTerminated("criteria");
            int length = r.Position - 1 - start;
            var last = t_lastCriteriaBytes;
            if (last != null && length == t_lastCriteriaLength && SameBytes(r.Buffer, start, last, length)) return t_lastCriteria;
            string criteria = Encoding.UTF8.GetString(r.Buffer, start, length);
            if (length <= MaxKeptCriteriaBytes)
            {
                if (last == null) t_lastCriteriaBytes = last = new byte[MaxKeptCriteriaBytes];
                Buffer.BlockCopy(r.Buffer, start, last, 0, length);
                t_lastCriteriaLength = length;
                t_lastCriteria = criteria;
            }
            return criteria;
        }

        static bool SameBytes(byte[] a, int offset, byte[] b, int length)
        {
            for (int i = 0; i < length; i++) if (a[offset + i] != b[i]) return false;
            return true;
        }

        static QueryHit DecodeQueryHit(byte[] payload, int offset, int count)
        {
            // The servent GUID is always the last 16 bytes: read the body with a reader that stops before it, so a
            // missing NUL in the result set cannot eat into the GUID.
            const int fixedPart = 11;
            if (count < fixedPart + GnutellaGuid.Size) throw new GnutellaProtocolException("QueryHit payload is truncated");
            var r = new PayloadReader(payload, offset, count - GnutellaGuid.Size, "QueryHit");
            int hits = r.ReadByte();
            var hit = new QueryHit { Port = r.ReadUInt16(), Address = r.ReadIPv4(), Speed = r.ReadUInt32(), VendorCode = null };
            // The result set is checked here, as strictly as reading it; its objects are made when someone asks for
            // them (the searcher): a servent routing the hit back needs only their number and the servent GUID.
            int resultsAt = r.Position;
            ReadResults(ref r, hits, null);
            hit.SetEncodedResults(payload, resultsAt, r.End, hits);
            ReadTrailer(ref r, hit);
            hit.ServentId = GnutellaGuid.Read(payload, offset + count - GnutellaGuid.Size);
            return hit;
        }

        /// <summary>The results of a QueryHit whose result set <see cref="DecodeQueryHit"/> has already checked.</summary>
        internal static List<QueryHitResult> DecodeResults(byte[] payload, int offset, int end, int hits)
        {
            var r = new PayloadReader(payload, offset, end - offset, "QueryHit");
            var results = new List<QueryHitResult>(hits);
            ReadResults(ref r, hits, results);
            return results;
        }

        // Reads <paramref name="hits"/> results into <paramref name="into"/>, or only checks them when it is null (the
        // same checks, in the same order, so a malformed hit is refused with the same words either way).
        static void ReadResults(ref PayloadReader r, int hits, List<QueryHitResult> into)
        {
            var contents = into == null ? null : new ExtensionBlock.Contents();
            for (int i = 0; i < hits; i++)
            {
                uint index = r.ReadUInt32(), size = r.ReadUInt32();
                QueryHitResult result = null;
                if (into == null) r.SkipNulTerminated("file name");
                else result = new QueryHitResult { FileIndex = index, FileSize = size, Name = r.ReadNulTerminated("file name") };
                contents?.Clear();
                int end = ExtensionBlock.Parse(r.Buffer, r.Position, r.End, contents);
                if (end >= r.End) throw new GnutellaProtocolException("QueryHit result extension block has no terminating NUL");
                r.MoveTo(end + 1);
                if (result == null) continue;
                if (contents.UrnCount > 0) result.Hash = contents.FirstUrn;
                if (contents.LargeFileSize.HasValue) result.FileSize = contents.LargeFileSize.Value;
                into.Add(result);
            }
        }

        // Trailer (QHD): vendor code (4), open data size (1), open data. With 2 bytes of open data, the first byte says
        // which flags of the second are meaningful, except push, whose value is in the first byte and whose
        // "meaningful" bit is in the second (a quirk of the original layout). Private data after it is ignored.
        static void ReadTrailer(ref PayloadReader r, QueryHit hit)
        {
            if (r.Remaining < 4) return;   // old servents send no trailer
            hit.VendorCode = VendorCode(r.Buffer, r.Position);
            r.Skip(4);
            if (r.Remaining < 1) return;
            int openSize = r.ReadByte();
            if (openSize > r.Remaining) throw new GnutellaProtocolException("QueryHit open data runs past the payload");
            if (openSize >= 2)
            {
                byte first = r.Buffer[r.Position], second = r.Buffer[r.Position + 1];
                if ((second & PushBit) != 0) hit.Push = (first & PushBit) != 0;
                if ((first & BusyBit) != 0) hit.Busy = (second & BusyBit) != 0;
            }
            else if (openSize == 1)
            {
                hit.Push = (r.Buffer[r.Position] & PushBit) != 0;   // one byte: only the push flag
            }
        }

        // The vendor codes of a network repeat (every hit carries one): the last one read on this thread is kept and
        // handed out again while the bytes are the same, as ASCII decoding would read them (above 0x7F: '?').
        [ThreadStatic] static string t_lastVendorCode;

        static string VendorCode(byte[] buffer, int offset)
        {
            var last = t_lastVendorCode;
            if (last != null)
            {
                int i = 0;
                while (i < 4 && last[i] == AsciiChar(buffer[offset + i])) i++;
                if (i == 4) return last;
            }
            return t_lastVendorCode = Encoding.ASCII.GetString(buffer, offset, 4);
        }

        static char AsciiChar(byte b) => b < 0x80 ? (char)b : '?';

        const byte PushBit = 0x01, BusyBit = 0x04;

        // ---- encoding ----

        static void WritePayload(Stream s, GnutellaPayload payload)
        {
            switch (payload)
            {
                case Ping _: return;
                case Pong pong:
                    WriteUInt16(s, Port(pong.Port, "Pong.Port"));
                    WriteIPv4(s, pong.Address, "Pong.Address");
                    WriteUInt32(s, pong.FileCount);
                    WriteUInt32(s, pong.KilobytesShared);
                    return;
                case Push push:
                    WriteGuid(s, push.ServentId);
                    WriteUInt32(s, push.FileIndex);
                    WriteIPv4(s, push.Address, "Push.Address");
                    WriteUInt16(s, Port(push.Port, "Push.Port"));
                    return;
                case Bye bye:
                    WriteUInt16(s, bye.Code);
                    WriteNulTerminated(s, bye.Reason ?? "", "Bye.Reason");
                    return;
                case Query query: WriteQuery(s, query); return;
                case QueryHit hit: WriteQueryHit(s, hit); return;
                case QrpReset reset:
                    if (reset.TableLength < 0) throw new ArgumentException("QrpReset.TableLength cannot be negative.", nameof(payload));
                    s.WriteByte(RouteTableUpdate.ResetVariant);
                    WriteUInt32(s, (uint)reset.TableLength);
                    s.WriteByte(reset.Infinity);
                    return;
                case QrpPatch patch:
                    s.WriteByte(RouteTableUpdate.PatchVariant);
                    s.WriteByte(patch.SequenceNumber);
                    s.WriteByte(patch.SequenceSize);
                    s.WriteByte(patch.Compressor);
                    s.WriteByte(patch.EntryBits);
                    s.Write(patch.DataBuffer, patch.DataOffset, patch.DataCount);
                    return;
                default:
                    throw new ArgumentException($"No encoding for {payload.GetType().Name}.", nameof(payload));
            }
        }

        static void WriteQuery(Stream s, Query query)
        {
            s.WriteByte((byte)(query.Flags >> 8));   // big-endian, see DecodeQuery
            s.WriteByte((byte)query.Flags);
            WriteNulTerminated(s, query.Criteria ?? "", "Query.Criteria");
            var urns = query.Urns ?? new ContentHash[0];
            bool first = true;
            foreach (var urn in urns)
            {
                if (urn.IsEmpty) continue;
                if (!first) s.WriteByte(ExtensionBlock.Separator);
                WriteAscii(s, urn.ToString());
                first = false;
            }
            if (!first) s.WriteByte(0);   // close the extension block the way most servents do
        }

        static void WriteQueryHit(Stream s, QueryHit hit)
        {
            var results = hit.Results ?? new QueryHitResult[0];
            if (results.Count > 255) throw new ArgumentException("A QueryHit carries at most 255 results; split them over several hits.", nameof(hit));
            s.WriteByte((byte)results.Count);
            WriteUInt16(s, Port(hit.Port, "QueryHit.Port"));
            WriteIPv4(s, hit.Address, "QueryHit.Address");
            WriteUInt32(s, hit.Speed);
            foreach (var result in results)
            {
                if (result == null) throw new ArgumentException("QueryHit.Results holds a null result.", nameof(hit));
                if (result.FileSize < 0) throw new ArgumentException("A result's FileSize cannot be negative.", nameof(hit));
                bool large = result.FileSize >= uint.MaxValue;
                WriteUInt32(s, result.FileIndex);
                WriteUInt32(s, large ? uint.MaxValue : (uint)result.FileSize);
                WriteNulTerminated(s, result.Name ?? "", "QueryHitResult.Name");
                bool any = false;
                if (result.Hash.HasValue && !result.Hash.Value.IsEmpty) { WriteAscii(s, UrnText(result.Hash.Value)); any = true; }
                if (large)
                {
                    if (any) s.WriteByte(ExtensionBlock.Separator);
                    var block = Ggep.Write(new[] { new GgepExtension("LF", Ggep.EncodeInteger(result.FileSize)) }, cobs: true);
                    s.Write(block, 0, block.Length);
                }
                s.WriteByte(0);
            }
            string vendor = hit.VendorCode;
            if (!string.IsNullOrEmpty(vendor))
            {
                if (vendor.Length != 4) throw new ArgumentException("QueryHit.VendorCode has exactly 4 characters.", nameof(hit));
                WriteAscii(s, vendor);
                s.WriteByte(2);
                s.WriteByte((byte)((hit.Push ? PushBit : 0) | BusyBit));   // push value; busy is meaningful
                s.WriteByte((byte)(PushBit | (hit.Busy ? BusyBit : 0)));   // push is meaningful; busy value
            }
            WriteGuid(s, hit.ServentId);
        }

        static ushort Port(int port, string field)
        {
            if (port < 0 || port > ushort.MaxValue) throw new ArgumentException($"{field} must be 0..65535, not {port}.", field);
            return (ushort)port;
        }

        static void WriteUInt16(Stream s, ushort v) { s.WriteByte((byte)v); s.WriteByte((byte)(v >> 8)); }
        static void WriteUInt32(Stream s, uint v) { s.WriteByte((byte)v); s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)(v >> 16)); s.WriteByte((byte)(v >> 24)); }

        // A servent answers query after query with the same few files: the "urn:sha1:" text of the last hash written
        // in each of 64 buckets (by the hash's first bytes) is kept per thread instead of being base32-encoded again.
        [ThreadStatic] static ContentHash[] t_urnHashes;
        [ThreadStatic] static string[] t_urnTexts;

        static string UrnText(ContentHash hash)
        {
            var hashes = t_urnHashes;
            var texts = t_urnTexts;
            if (hashes == null)
            {
                t_urnHashes = hashes = new ContentHash[64];
                t_urnTexts = texts = new string[64];
            }
            int bucket = hash.GetHashCode() & 63;
            if (texts[bucket] != null && hashes[bucket].Equals(hash)) return texts[bucket];
            string text = hash.ToString();
            hashes[bucket] = hash;
            texts[bucket] = text;
            return text;
        }

        // Field bytes on their way into the scratch stream: one buffer per thread instead of an array per field.
        [ThreadStatic] static byte[] t_fieldBytes;
        const int MaxKeptFieldBytes = 4096;

        static byte[] FieldBytes(int size)
        {
            var b = t_fieldBytes;
            if (b != null && b.Length >= size) return b;
            b = new byte[Math.Max(64, size)];
            if (size <= MaxKeptFieldBytes) t_fieldBytes = b;
            return b;
        }

        static void WriteIPv4(Stream s, string address, string field)
        {
            var b = FieldBytes(4);
            IPv4.Write(address, b, 0, field);
            s.Write(b, 0, 4);
        }

        static void WriteGuid(Stream s, GnutellaGuid id)
        {
            var b = FieldBytes(GnutellaGuid.Size);
            id.CopyTo(b, 0);
            s.Write(b, 0, GnutellaGuid.Size);
        }

        static void WriteAscii(Stream s, string text)
        {
            var b = FieldBytes(Encoding.ASCII.GetMaxByteCount(text.Length));
            int n = Encoding.ASCII.GetBytes(text, 0, text.Length, b, 0);
            s.Write(b, 0, n);
        }

        static void WriteNulTerminated(Stream s, string text, string field)
        {
            if (text.IndexOf('\0') >= 0) throw new ArgumentException($"{field} cannot contain a NUL character.", field);
            var b = FieldBytes(Encoding.UTF8.GetMaxByteCount(text.Length));
            int n = Encoding.UTF8.GetBytes(text, 0, text.Length, b, 0);
            s.Write(b, 0, n);
            s.WriteByte(0);
        }
    }
}
