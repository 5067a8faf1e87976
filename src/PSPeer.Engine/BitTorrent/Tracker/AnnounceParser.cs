using System;
using System.Globalization;
using System.Net;
using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Turns an announce query into an <see cref="AnnounceRequest"/>, or into the failure reason the tracker sends back.
    /// Sans-IO: the caller supplies the address the request came from.
    /// </summary>
    static class AnnounceParser
    {
        const int MaxKeyLength = 64;

        /// <summary>
        /// Parses; on failure returns null and a reason fit for "failure reason". <paramref name="remoteHost"/> is the
        /// connection's address: the peer's address and its <see cref="AnnounceRequest.Source"/>, unless the operator allows
        /// <see cref="TrackerOptions.AllowClientAddress"/> and the request names an "ip".
        /// </summary>
        public static AnnounceRequest Parse(TrackerQuery query, string remoteHost, TrackerOptions options, out string failure)
        {
            failure = null;
            var request = new AnnounceRequest();

            if (!TryHash(query, out var hash, out failure)) return null;
            request.InfoHash = hash;

            var peerId = query.First("peer_id", out int peerIdCount);
            if (peerId == null) { failure = "missing peer_id"; return null; }
            if (peerIdCount > 1) { failure = "peer_id given more than once"; return null; }
            if (peerId.Length != 20) { failure = $"peer_id must be 20 bytes (got {peerId.Length})"; return null; }
            request.PeerId = peerId;

            string portText = query.Text("port");
            if (portText == null) { failure = "missing port"; return null; }
            if (!TryNumber(portText, out long port) || port < 1 || port > 65535) { failure = "port must be a number from 1 to 65535"; return null; }
            request.Port = (int)port;

            if (!TryCounter(query, "uploaded", required: false, out long uploaded, out failure)) return null;
            if (!TryCounter(query, "downloaded", required: false, out long downloaded, out failure)) return null;
            if (!TryCounter(query, "left", required: true, out long left, out failure)) return null;
            request.Uploaded = uploaded;
            request.Downloaded = downloaded;
            request.Left = left;

            switch (query.Text("event") ?? "")
            {
                case "": case "empty": case "paused": request.Event = AnnounceEvent.None; break;   // BEP 21 "paused" is a regular announce
                case "started": request.Event = AnnounceEvent.Started; break;
                case "completed": request.Event = AnnounceEvent.Completed; break;
                case "stopped": request.Event = AnnounceEvent.Stopped; break;
                default: failure = "event must be started, completed, stopped or empty"; return null;
            }

            string numWantText = query.Text("numwant");
            int numWant = options.DefaultNumWant;
            if (numWantText != null && numWantText.Length > 0)
            {
                // Some clients send -1 for "whatever you like"; negative means the default, too large is capped.
                if (numWantText.StartsWith("-", StringComparison.Ordinal) && TryNumber(numWantText.Substring(1), out _)) numWant = options.DefaultNumWant;
                else if (TryNumber(numWantText, out long n)) numWant = (int)Math.Min(n, int.MaxValue);
                else { failure = "numwant must be a number"; return null; }
            }
            request.NumWant = Math.Min(numWant, options.MaxNumWant);

            // BEP 23: compact unless the client asks for the dictionary model with compact=0.
            request.Compact = query.Text("compact") != "0";
            request.NoPeerId = query.Text("no_peer_id") == "1";

            var key = query.First("key", out _);
            if (key != null)
            {
                if (key.Length > MaxKeyLength) { failure = $"key longer than {MaxKeyLength} bytes"; return null; }
                request.Key = Encoding.ASCII.GetString(key);
            }

            request.Source = IPAddress.TryParse(remoteHost ?? "", out var remote) ? Normalize(remote) : remoteHost;
            request.IP = request.Source;
            // BEP 3's "ip" lets any client put any address (8.8.8.8, a victim) into peer lists: like opentracker, the
            // tracker ignores it unless its operator allows it (a tracker behind a proxy, a LAN with NAT it trusts).
            string ip = query.Text("ip");
            if (options.AllowClientAddress && !string.IsNullOrEmpty(ip))
            {
                if (!IPAddress.TryParse(ip, out var address)) { failure = "ip must be an IPv4 or IPv6 address"; return null; }
                request.IP = Normalize(address);
            }
            if (string.IsNullOrEmpty(request.IP) || string.IsNullOrEmpty(request.Source)) { failure = "cannot tell the peer's address"; return null; }
            return request;
        }

        /// <summary>The one info_hash of an announce: exactly 20 bytes.</summary>
        static bool TryHash(TrackerQuery query, out InfoHash hash, out string failure)
        {
            hash = default(InfoHash);
            var bytes = query.First("info_hash", out int count);
            if (bytes == null) { failure = "missing info_hash"; return false; }
            if (count > 1) { failure = "info_hash given more than once"; return false; }
            if (bytes.Length != 20) { failure = $"info_hash must be 20 bytes (got {bytes.Length})"; return false; }
            hash = new InfoHash(bytes);
            failure = null;
            return true;
        }

        static bool TryCounter(TrackerQuery query, string name, bool required, out long value, out string failure)
        {
            value = 0;
            failure = null;
            string text = query.Text(name);
            if (text == null)
            {
                if (!required) return true;
                failure = "missing " + name;
                return false;
            }
            if (!TryNumber(text, out value)) { failure = name + " must be a non-negative number"; return false; }
            return true;
        }

        /// <summary>Digits only, at most 18 of them (no sign, no overflow).</summary>
        internal static bool TryNumber(string text, out long value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 18) return false;
            foreach (char c in text) if (c < '0' || c > '9') return false;
            value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            return true;
        }

        // IPv4-mapped IPv6 addresses (dual-mode sockets) are their IPv4 address, so compact lists can carry them.
        internal static string Normalize(IPAddress address) =>
            (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
