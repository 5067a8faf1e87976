using System.IO;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Consistent Overhead Byte Stuffing, which GGEP uses so extension data carries no NUL (query-hit results are
    /// NUL-delimited). Each group is a code byte n followed by n-1 non-zero bytes; a code below 0xFF stands for a zero
    /// after the group, except at the very end.
    /// </summary>
    static class Cobs
    {
        public static byte[] Encode(byte[] data)
        {
            var ms = new MemoryStream(data.Length + data.Length / 254 + 2);
            var group = new byte[254];
            int n = 0;
            foreach (byte b in data)
            {
                if (b == 0) { Flush(ms, group, n); n = 0; continue; }
                group[n++] = b;
                if (n == 254) { ms.WriteByte(0xFF); ms.Write(group, 0, n); n = 0; }
            }
            Flush(ms, group, n);
            return ms.ToArray();
        }

        static void Flush(Stream s, byte[] group, int n)
        {
            s.WriteByte((byte)(n + 1));
            s.Write(group, 0, n);
        }

        public static byte[] Decode(byte[] buffer, int offset, int count)
        {
            var ms = new MemoryStream(count);
            int p = offset, end = offset + count;
            while (p < end)
            {
                int code = buffer[p++];
                if (code == 0) throw new GnutellaProtocolException("COBS data holds a zero code byte");
                if (p + code - 1 > end) throw new GnutellaProtocolException("COBS group runs past the data");
                for (int i = 1; i < code; i++)
                {
                    if (buffer[p] == 0) throw new GnutellaProtocolException("COBS data holds a NUL");
                    ms.WriteByte(buffer[p++]);
                }
                if (code < 0xFF && p < end) ms.WriteByte(0);
            }
            return ms.ToArray();
        }
    }
}
