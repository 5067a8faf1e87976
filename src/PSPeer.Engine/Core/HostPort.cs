using System;
using System.Globalization;

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
        }

        public string Host { get; }
        public int Port { get; }

        public static bool TryParse(string text, out HostPort endPoint)
        {
            endPoint = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            text = text.Trim();
            int colon = text.LastIndexOf(':');
            if (colon <= 0 || colon == text.Length - 1) return false;
            string host = text.Substring(0, colon).Trim('[', ']');
            if (!int.TryParse(text.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535) return false;
            endPoint = new HostPort(host, port);
            return true;
        }

        public static HostPort Parse(string text) =>
            TryParse(text, out var ep) ? ep : throw new FormatException($"'{text}' is not an endpoint: expected host:port, for example 127.0.0.1:8888.");

        public override string ToString() => Host.IndexOf(':') >= 0 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
        public bool Equals(HostPort other) => other != null && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) && Port == other.Port;
        public override bool Equals(object obj) => Equals(obj as HostPort);
        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Host) * 31 + Port;
    }
}
