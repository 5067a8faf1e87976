using System;
using System.Net;
using System.Net.Sockets;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord.Sharing
{
    /// <summary>
    /// What a keyword key holds for one shared file (issue 12): a bencoded dictionary
    /// <c>{"a": compact IPv4 address and port of the holder's HTTP server (6 bytes), "h": 20-byte SHA-1, "n": name,
    /// "s": size}</c> (keys in bencode's sorted order). Anything else in the dictionary is ignored, as in BEP 5.
    /// </summary>
    public sealed class ChordFilePointer : IEquatable<ChordFilePointer>
    {
        /// <summary>Longest file name a pointer carries, in UTF-8 bytes: the whole pointer fits a value (1,000 bytes).</summary>
        public const int MaxNameBytes = 900;
        static readonly BencodeLimits Limits = new BencodeLimits { MaxDepth = 2, MaxTotalBytes = 2048, MaxStringLength = 2048, MaxItems = 64 };

        public ChordFilePointer(string name, long size, ContentHash contentHash, IPEndPoint httpServer)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A pointer names its file.", nameof(name));
            if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), size, "A size is 0 or more.");
            if (contentHash.IsEmpty) throw new ArgumentException("A pointer carries the file's SHA-1.", nameof(contentHash));
            if (httpServer == null || httpServer.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException("A pointer's address is IPv4 (compact: 4 bytes and a port).", nameof(httpServer));
            if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
                throw new ArgumentException($"A file name of more than {MaxNameBytes} UTF-8 bytes does not fit a pointer.", nameof(name));
            Name = name; Size = size; ContentHash = contentHash; HttpServer = httpServer;
        }

        public string Name { get; }
        public long Size { get; }
        public ContentHash ContentHash { get; }
        /// <summary>Where the holder serves the file over HTTP (GET /uri-res/N2R?urn:sha1:…).</summary>
        public IPEndPoint HttpServer { get; }

        /// <summary>The pointer's bytes, exactly as they are stored at each keyword key (the "v" of store_value).</summary>
        public byte[] Encode()
        {
            var compact = new byte[6];
            HttpServer.Address.GetAddressBytes().CopyTo(compact, 0);
            compact[4] = (byte)(HttpServer.Port >> 8);
            compact[5] = (byte)HttpServer.Port;
            var d = new BDictionary
            {
                ["a"] = new BString(compact),
                ["h"] = new BString(ContentHash.ToByteArray()),
                ["n"] = new BString(Name),
                ["s"] = new BInteger(Size),
            };
            return Bencode.Encode(d);
        }

        /// <summary>Reads a pointer; false for anything that is not one (a user's own value at a kw: key, a hostile one).</summary>
        public static bool TryDecode(byte[] bytes, out ChordFilePointer pointer)
        {
            pointer = null;
            if (bytes == null || bytes.Length == 0 || bytes.Length > 2048) return false;
            BDictionary d;
            try { d = Bencode.Decode(bytes, Limits) as BDictionary; }
            catch (BencodeException) { return false; }
            if (d == null) return false;
            byte[] a = d.GetBytes("a"), h = d.GetBytes("h");
            string n = d.GetText("n");
            long? s = d.GetInteger("s");
            if (a == null || a.Length != 6 || h == null || h.Length != 20 || string.IsNullOrEmpty(n) || s == null || s < 0) return false;
            int port = a[4] << 8 | a[5];
            if (port == 0) return false;
            // A name from the ring is hostile until checked: it becomes a file name only through the downloader's checks,
            // but it must at least be one line of text.
            if (n.IndexOf('\0') >= 0 || n.IndexOf('\n') >= 0 || n.IndexOf('\r') >= 0) return false;
            var ip = new IPAddress(new[] { a[0], a[1], a[2], a[3] });
            try { pointer = new ChordFilePointer(n, s.Value, new ContentHash(h), new IPEndPoint(ip, port)); }
            catch (ArgumentException) { return false; }
            return true;
        }

        /// <summary>"host:port" of the HTTP server, as a SearchHit's Source.</summary>
        public string Source => new HostPort(HttpServer.Address.ToString(), HttpServer.Port).ToString();

        public bool Equals(ChordFilePointer other) =>
            other != null && ContentHash.Equals(other.ContentHash) && HttpServer.Equals(other.HttpServer) && Name == other.Name && Size == other.Size;
        public override bool Equals(object obj) => Equals(obj as ChordFilePointer);
        public override int GetHashCode() => ContentHash.GetHashCode() * 31 + HttpServer.GetHashCode();
        public override string ToString() => $"{Name} ({Size} bytes) at {Source}";
    }
}
