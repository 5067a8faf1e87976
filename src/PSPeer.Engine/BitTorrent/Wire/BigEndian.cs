namespace PSPeer.Engine.BitTorrent
{
    /// <summary>Network byte order, as every integer on the peer wire is sent.</summary>
    static class BigEndian
    {
        public static uint ReadUInt32(byte[] b, int i) => (uint)(b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);

        public static void WriteUInt32(byte[] b, int i, uint value)
        {
            b[i] = (byte)(value >> 24);
            b[i + 1] = (byte)(value >> 16);
            b[i + 2] = (byte)(value >> 8);
            b[i + 3] = (byte)value;
        }
    }
}
