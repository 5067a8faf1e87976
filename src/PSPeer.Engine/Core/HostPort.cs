using System;

namespace PSPeer.Engine.Core
{
    /// <summary>A "host:port" endpoint, as users type it and as nodes report it.</summary>
    public sealed class HostPort : IEquatable<HostPort>
    {
        public HostPort(string host, int port)
        {
            if (string.IsNullOrEmpty(host)) throw new ArgumentException("A host is required.", nameof(host));
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            Host = host;
            Port = port;
            Ipv4Literal.TryParse(host, 0, host.Length, out _ipv4);
        }

        public string Host { get; }
        public int Port { get; }

        // The host as an address when it is an IPv4 literal (Ipv4Literal), else 0 (also for 0.0.0.0, which no one dials):
        // two such hosts are the same text exactly when these are equal, so they compare without reading the strings.
        // (It fits in the object's padding: a HostPort is no larger for it.)
        readonly uint _ipv4;

        /// <summary>The host as an IPv4 address when it is written as one (see <see cref="Ipv4Literal"/>), else 0.</summary>
        internal uint Ipv4Address => _ipv4;

        public static bool TryParse(string text, out HostPort endPoint)
        {
            endPoint = null;
            return text != null && TryParse(text, 0, text.Length, out endPoint);
        }

        /// <summary>As <see cref="TryParse(string, out HostPort)"/> on text[start .. start+length), without copying it
        /// first (an item of a comma-separated list).</summary>
        public static bool TryParse(string text, int start, int length, out HostPort endPoint)
        {
            endPoint = null;
            if (text == null || start < 0 || length < 0 || start + length > text.Length) return false;
            int end = start + length;
            while (start < end && char.IsWhiteSpace(text[start])) start++;
            while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
            if (start == end) return false;
            int colon = text.LastIndexOf(':', end - 1, end - start);
            if (colon <= start || colon == end - 1) return false;
            int port = 0;
            for (int i = colon + 1; i < end; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return false;
                port = port * 10 + (c - '0');
                if (port > 65535) return false;
            }
            int hostStart = start, hostEnd = colon;
            while (hostStart < hostEnd && (text[hostStart] == '[' || text[hostStart] == ']')) hostStart++;
            while (hostEnd > hostStart && (text[hostEnd - 1] == '[' || text[hostEnd - 1] == ']')) hostEnd--;
            endPoint = new HostPort(text.Substring(hostStart, hostEnd - hostStart), port);
            return true;
        }

        public static HostPort Parse(string text) =>
            TryParse(text, out var ep) ? ep : throw new FormatException($"'{text}' is not an endpoint: expected host:port, for example 127.0.0.1:8888.");

        public override string ToString() => Host.IndexOf(':') >= 0 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
        public bool Equals(HostPort other)
        {
            if (ReferenceEquals(this, other)) return true;
            if (other == null || Port != other.Port) return false;
            // A literal's text equals another host's text only when that is the same literal (digits and dots have no case).
            if ((_ipv4 | other._ipv4) != 0) return _ipv4 == other._ipv4;
            return string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);
        }
        public override bool Equals(object obj) => Equals(obj as HostPort);
        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Host) * 31 + Port;
    }
}
