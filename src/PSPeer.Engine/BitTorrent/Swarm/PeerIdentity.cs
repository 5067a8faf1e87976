using System.Text;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>Peer ids: ours ("-PS0100-" + 12 random alphanumerics) and a readable client name from anyone's.</summary>
    static class PeerIdentity
    {
        public const string Prefix = "-PS0100-";
        /// <summary>The client name and version our BEP 10 handshake gives ("v"), the same version as <see cref="Prefix"/>.</summary>
        public const string ClientVersion = "PSPeer 0.1.0.0";
        const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

        public static byte[] NewPeerId(IRandomSource random)
        {
            var id = new byte[20];
            Encoding.ASCII.GetBytes(Prefix, 0, Prefix.Length, id, 0);
            for (int i = Prefix.Length; i < 20; i++) id[i] = (byte)Alphabet[random.Next(Alphabet.Length)];
            return id;
        }

        /// <summary>Azureus-style "-XX1234-" gives "XX1234"; otherwise the printable ASCII prefix (up to 10 characters).</summary>
        public static string ClientName(byte[] peerId)
        {
            if (peerId == null || peerId.Length < 8) return "";
            if (peerId[0] == '-' && peerId[7] == '-' && IsPrintable(peerId, 1, 6)) return Encoding.ASCII.GetString(peerId, 1, 6);
            int n = 0;
            while (n < 10 && n < peerId.Length && peerId[n] >= 0x21 && peerId[n] < 0x7F) n++;
            return Encoding.ASCII.GetString(peerId, 0, n);
        }

        public static string Hex(byte[] peerId)
        {
            var sb = new StringBuilder(peerId.Length * 2);
            foreach (byte b in peerId) sb.Append(b.ToString("x2"));
            return sb.ToString();
        }

        static bool IsPrintable(byte[] data, int offset, int count)
        {
            for (int i = offset; i < offset + count; i++) if (data[i] < 0x20 || data[i] >= 0x7F) return false;
            return true;
        }
    }
}
