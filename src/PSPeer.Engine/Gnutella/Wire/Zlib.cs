using System;
using System.IO;
using System.IO.Compression;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// zlib streams (RFC 1950) as QRP's compressor 1 uses them: a 2-byte header, raw deflate (which DeflateStream does),
    /// and the Adler-32 of the uncompressed data, big-endian.
    /// </summary>
    static class Zlib
    {
        public static byte[] Compress(byte[] data)
        {
            var ms = new MemoryStream();
            ms.WriteByte(0x78);   // deflate, 32K window
            ms.WriteByte(0x9C);   // default level, no dictionary; 0x789C is a multiple of 31 as the header check demands
            using (var deflate = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true))
                deflate.Write(data, 0, data.Length);
            uint adler = Adler32(data, 0, data.Length);
            ms.WriteByte((byte)(adler >> 24));
            ms.WriteByte((byte)(adler >> 16));
            ms.WriteByte((byte)(adler >> 8));
            ms.WriteByte((byte)adler);
            return ms.ToArray();
        }

        /// <summary>
        /// Inflates a zlib stream that must hold exactly <paramref name="expectedLength"/> bytes; never produces more
        /// than that (a peer cannot make us inflate a bomb). Throws <see cref="GnutellaProtocolException"/> otherwise.
        /// </summary>
        public static byte[] Decompress(byte[] data, int expectedLength) => Decompress(data, expectedLength, new byte[expectedLength]);

        [ThreadStatic] static byte[] _probe;

        /// <summary>
        /// As <see cref="Decompress(byte[], int)"/>, into <paramref name="output"/> (at least
        /// <paramref name="expectedLength"/> bytes; a caller's reusable buffer), which it returns.
        /// </summary>
        public static byte[] Decompress(byte[] data, int expectedLength, byte[] output)
        {
            if (output == null || output.Length < expectedLength) throw new ArgumentException("The output buffer is smaller than the expected length.", nameof(output));
            if (data.Length < 6) throw new GnutellaProtocolException("zlib data is too short");
            int cmf = data[0], flg = data[1];
            if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0)
                throw new GnutellaProtocolException("zlib header is not a plain deflate stream");
            int total = 0;
            try
            {
                using (var deflate = new DeflateStream(new MemoryStream(data, 2, data.Length - 2), CompressionMode.Decompress))
                {
                    while (total < expectedLength)
                    {
                        int n = deflate.Read(output, total, expectedLength - total);
                        if (n <= 0) break;
                        total += n;
                    }
                    if (total == expectedLength && deflate.Read(_probe ?? (_probe = new byte[1]), 0, 1) > 0)
                        throw new GnutellaProtocolException($"zlib data inflates to more than the {expectedLength} bytes expected");
                }
            }
            catch (InvalidDataException e) { throw new GnutellaProtocolException("zlib data is corrupt", e); }
            if (total != expectedLength) throw new GnutellaProtocolException($"zlib data inflates to {total} bytes, {expectedLength} expected");
            uint expected = (uint)(data[data.Length - 4] << 24 | data[data.Length - 3] << 16 | data[data.Length - 2] << 8 | data[data.Length - 1]);
            if (Adler32(output, 0, expectedLength) != expected) throw new GnutellaProtocolException("zlib Adler-32 check failed");
            return output;
        }

        public static uint Adler32(byte[] data, int offset, int count)
        {
            const uint Mod = 65521;
            uint a = 1, b = 0;
            int end = offset + count;
            while (offset < end)
            {
                int block = Math.Min(5552, end - offset);   // largest run before the sums can overflow 32 bits
                for (int i = 0; i < block; i++) { a += data[offset++]; b += a; }
                a %= Mod;
                b %= Mod;
            }
            return (b << 16) | a;
        }
    }
}
