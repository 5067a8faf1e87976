using System.Text;

namespace PSPeer.Engine.Content
{
    /// <summary>Bytes as ISO-8859-1 text, one character per byte: how HTTP and Gnutella heads are read.</summary>
    static class Latin1
    {
        static readonly Encoding Encoding = Encoding.GetEncoding(28591);

        /// <summary>One string for bytes[offset .. offset+count), without a char[] on the way.</summary>
        public static string Text(byte[] bytes, int offset, int count) => count == 0 ? "" : Encoding.GetString(bytes, offset, count);
    }
}
