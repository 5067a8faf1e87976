using System;
using System.Globalization;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>An http:// or udp:// (BEP 15) tracker URL taken apart: host, port and the path with any query of its own.</summary>
    sealed class TrackerUrl
    {
        TrackerUrl(string original, string host, int port, string path, string query, bool isUdp = false)
        {
            Original = original; Host = host; Port = port; Path = path; Query = query; IsUdp = isUdp;
        }

        /// <summary>A udp:// tracker, spoken to with BEP 15 (the path is not sent).</summary>
        public bool IsUdp { get; }

        public string Original { get; }
        public string Host { get; }
        public int Port { get; }
        /// <summary>The path, starting with '/'.</summary>
        public string Path { get; }
        /// <summary>The URL's own query (without '?'), or null.</summary>
        public string Query { get; }

        /// <summary>"host:port" for the Host header, without the port when it is HTTP's 80.</summary>
        public string Authority => Port == 80 ? (Host.IndexOf(':') >= 0 ? "[" + Host + "]" : Host) : new HostPort(Host, Port).ToString();

        /// <summary>Parses; throws PeerException TrackerUnreachable for what PSPeer cannot announce to (https, garbage).</summary>
        public static TrackerUrl Parse(string url)
        {
            if (string.IsNullOrWhiteSpace(url)) throw Unsupported(url, "the tracker URL is empty");
            url = url.Trim();
            int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
            string scheme = schemeEnd < 0 ? "" : url.Substring(0, schemeEnd).ToLowerInvariant();
            if (scheme == "https") throw Unsupported(url, "PSPeer announces over plain HTTP only; use the tracker's http:// URL");
            bool udp = scheme == "udp";
            if (scheme != "http" && !udp) throw Unsupported(url, "a tracker URL starts with http:// or udp://");
            string rest = url.Substring(schemeEnd + 3);
            int fragment = rest.IndexOf('#');
            if (fragment >= 0) rest = rest.Substring(0, fragment);
            int pathStart = rest.IndexOfAny(new[] { '/', '?' });
            string authority = pathStart < 0 ? rest : rest.Substring(0, pathStart);
            string pathAndQuery = pathStart < 0 ? "/" : rest.Substring(pathStart);
            if (pathAndQuery[0] == '?') pathAndQuery = "/" + pathAndQuery;
            if (authority.IndexOf('@') >= 0) throw Unsupported(url, "user names in tracker URLs are not supported");

            string host;
            int port = udp ? 0 : 80;
            if (authority.StartsWith("[", StringComparison.Ordinal))
            {
                int close = authority.IndexOf(']');
                if (close < 0) throw Unsupported(url, "the IPv6 address is not closed with ']'");
                host = authority.Substring(1, close - 1);
                string after = authority.Substring(close + 1);
                if (after.Length > 0 && (after[0] != ':' || !TryPort(after.Substring(1), out port))) throw Unsupported(url, "bad port");
            }
            else
            {
                int colon = authority.LastIndexOf(':');
                host = colon < 0 ? authority : authority.Substring(0, colon);
                if (colon >= 0 && !TryPort(authority.Substring(colon + 1), out port)) throw Unsupported(url, "bad port");
            }
            if (host.Length == 0) throw Unsupported(url, "no host");
            if (udp && port == 0) throw Unsupported(url, "a udp:// tracker URL names its port (udp://host:6969/announce)");
            foreach (char c in pathAndQuery) if (c <= ' ' || c >= 0x7F) throw Unsupported(url, "spaces or non-ASCII characters in the path must be percent-encoded");
            int q = pathAndQuery.IndexOf('?');
            string path = q < 0 ? pathAndQuery : pathAndQuery.Substring(0, q);
            string query = q < 0 ? null : pathAndQuery.Substring(q + 1);
            if (query != null && query.Length == 0) query = null;
            return new TrackerUrl(url, host, port, path, query, udp);
        }

        /// <summary>The request-target with <paramref name="parameters"/> appended to the URL's own query.</summary>
        public string Target(string parameters)
        {
            if (string.IsNullOrEmpty(parameters)) return Query == null ? Path : Path + "?" + Query;
            return Path + "?" + (Query == null ? "" : Query + "&") + parameters;
        }

        /// <summary>
        /// The scrape URL by convention: the last path segment must begin with "announce", which becomes "scrape"
        /// (/announce -> /scrape, /x/announce.php -> /x/scrape.php). Null when the tracker has no scrape by that convention.
        /// </summary>
        public TrackerUrl ToScrape()
        {
            int slash = Path.LastIndexOf('/');
            string last = Path.Substring(slash + 1);
            if (!last.StartsWith("announce", StringComparison.Ordinal)) return null;
            string path = Path.Substring(0, slash + 1) + "scrape" + last.Substring("announce".Length);
            return new TrackerUrl(Original, Host, Port, path, Query);
        }

        static bool TryPort(string text, out int port)
        {
            port = 0;
            return text.Length > 0 && text.Length <= 5 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port > 0 && port <= 65535;
        }

        static PeerException Unsupported(string url, string why) =>
            new PeerException(PeerErrorIds.TrackerUnreachable, $"Cannot announce to tracker '{url}': {why}.");

        public override string ToString() => Original;
    }
}
