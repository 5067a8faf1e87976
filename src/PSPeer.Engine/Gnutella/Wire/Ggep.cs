using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// GGEP blocks (Gnutella Generic Extension Protocol 0.5): magic 0xC3, then extensions of
    /// [flags][id 1..15 bytes][length 1..3 bytes][data]. Flags: 0x80 last extension, 0x40 COBS-encoded, 0x20 deflated,
    /// 0x10 reserved, low nibble = id length. Each length byte carries 6 bits, 0x80 when more follow, 0x40 on the last.
    /// PSPeer reads blocks to skip them safely and to pick out "LF" (large file size) and "H" (hash); it writes "LF".
    /// </summary>
    static class Ggep
    {
        public const byte Magic = 0xC3;
        const byte LastFlag = 0x80, CobsFlag = 0x40, DeflateFlag = 0x20, ReservedFlag = 0x10;

        /// <summary>Parses the block whose magic byte is at <paramref name="offset"/>; returns its extensions and where it ends.</summary>
        public static List<GgepExtension> Read(byte[] buffer, int offset, int limit, out int end)
        {
            var list = new List<GgepExtension>();
            int p = offset;
            if (p >= limit || buffer[p] != Magic) throw new GnutellaProtocolException("GGEP block does not start with 0xC3");
            p++;
            while (true)
            {
                if (p >= limit) throw new GnutellaProtocolException("GGEP block is truncated");
                byte flags = buffer[p++];
                int idLength = flags & 0x0F;
                if (idLength == 0 || (flags & ReservedFlag) != 0) throw new GnutellaProtocolException("GGEP extension has a bad flags byte");
                if (p + idLength > limit) throw new GnutellaProtocolException("GGEP extension id is truncated");
                string id = Encoding.ASCII.GetString(buffer, p, idLength);
                p += idLength;
                int length = 0;
                for (int i = 0; ; i++)
                {
                    if (i == 3) throw new GnutellaProtocolException("GGEP length field is longer than 3 bytes");
                    if (p >= limit) throw new GnutellaProtocolException("GGEP length field is truncated");
                    byte b = buffer[p++];
                    length = (length << 6) | (b & 0x3F);
                    if ((b & 0x40) != 0) break;
                    if ((b & 0x80) == 0) throw new GnutellaProtocolException("GGEP length byte has neither the more nor the last flag");
                }
                if (p + length > limit) throw new GnutellaProtocolException("GGEP extension data is truncated");
                byte[] data;
                if ((flags & DeflateFlag) != 0) data = null;
                else if ((flags & CobsFlag) != 0) data = Cobs.Decode(buffer, p, length);
                else { data = new byte[length]; Buffer.BlockCopy(buffer, p, data, 0, length); }
                list.Add(new GgepExtension(id, data, (flags & DeflateFlag) != 0));
                p += length;
                if ((flags & LastFlag) != 0) break;
            }
            end = p;
            return list;
        }

        /// <summary>Writes a block; <paramref name="cobs"/> COBS-encodes data holding NULs (needed inside query-hit results).</summary>
        public static byte[] Write(IList<GgepExtension> extensions, bool cobs)
        {
            if (extensions.Count == 0) throw new ArgumentException("A GGEP block needs at least one extension.", nameof(extensions));
            var ms = new MemoryStream();
            ms.WriteByte(Magic);
            for (int i = 0; i < extensions.Count; i++)
            {
                var ext = extensions[i];
                if (ext.Id.Length < 1 || ext.Id.Length > 15) throw new ArgumentException("GGEP ids have 1 to 15 characters.", nameof(extensions));
                byte[] data = ext.Data ?? new byte[0];
                bool encode = cobs && Array.IndexOf(data, (byte)0) >= 0;
                if (encode) data = Cobs.Encode(data);
                if (data.Length >= 1 << 18) throw new ArgumentException("GGEP extension data is too long.", nameof(extensions));
                byte flags = (byte)ext.Id.Length;
                if (encode) flags |= CobsFlag;
                if (i == extensions.Count - 1) flags |= LastFlag;
                ms.WriteByte(flags);
                var id = Encoding.ASCII.GetBytes(ext.Id);
                ms.Write(id, 0, id.Length);
                WriteLength(ms, data.Length);
                ms.Write(data, 0, data.Length);
            }
            return ms.ToArray();
        }

        static void WriteLength(Stream s, int length)
        {
            if (length >= 1 << 12) s.WriteByte((byte)(0x80 | ((length >> 12) & 0x3F)));
            if (length >= 1 << 6) s.WriteByte((byte)(0x80 | ((length >> 6) & 0x3F)));
            s.WriteByte((byte)(0x40 | (length & 0x3F)));
        }

        /// <summary>GGEP integers ("LF"): little-endian, as few bytes as the value needs.</summary>
        public static byte[] EncodeInteger(long value)
        {
            var bytes = new List<byte>();
            do { bytes.Add((byte)value); value = (long)((ulong)value >> 8); } while (value != 0);
            return bytes.ToArray();
        }

        public static bool TryDecodeInteger(byte[] data, out long value)
        {
            value = 0;
            if (data == null || data.Length == 0 || data.Length > 8) return false;
            for (int i = data.Length - 1; i >= 0; i--) value = (value << 8) | data[i];
            return value >= 0;
        }
    }
}
