using System;
using System.Collections.Generic;
using System.Globalization;

namespace PSPeer.Engine.Content
{
    /// <summary>A parsed HTTP start line and header fields (names case-insensitive; repeated fields joined by ", ").</summary>
    sealed class HttpHead
    {
        HttpHead() { }

        /// <summary>Request: method. Response: null.</summary>
        public string Method { get; private set; }
        /// <summary>Request: the request-target as sent (still percent-encoded).</summary>
        public string Target { get; private set; }
        /// <summary>"HTTP/1.0" or "HTTP/1.1".</summary>
        public string Version { get; private set; }
        /// <summary>Response: the status code.</summary>
        public int Status { get; private set; }
        public string Reason { get; private set; }
        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Names seen more than once, for fields that must not repeat (Content-Length, Range).</summary>
        public HashSet<string> Repeated { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public string this[string name] => Headers.TryGetValue(name, out var v) ? v : null;

        public bool IsHttp11 => Version == "HTTP/1.1";

        /// <summary>Whether the connection stays open after this message, by the version's default and Connection.</summary>
        public bool KeepAlive
        {
            get
            {
                string connection = this["Connection"];
                if (HasToken(connection, "close")) return false;
                return IsHttp11 || HasToken(connection, "keep-alive");
            }
        }

        static bool HasToken(string list, string token)
        {
            if (list == null) return false;
            foreach (var part in list.Split(','))
                if (string.Equals(part.Trim(), token, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>Parses a request head; on failure returns null and says why.</summary>
        public static HttpHead ParseRequest(string text, out string error)
        {
            var lines = SplitLines(text);
            var head = new HttpHead();
            var parts = lines[0].Split(' ');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0) { error = "bad request line"; return null; }
            if (!IsToken(parts[0])) { error = "bad method"; return null; }
            if (!IsVersion(parts[2])) { error = "unsupported HTTP version"; return null; }
            foreach (char c in parts[1]) if (c <= ' ' || c >= 0x7F) { error = "bad character in request target"; return null; }
            head.Method = parts[0];
            head.Target = parts[1];
            head.Version = parts[2];
            return ParseFields(head, lines, out error) ? head : null;
        }

        /// <summary>Parses a response head; on failure returns null and says why.</summary>
        public static HttpHead ParseResponse(string text, out string error)
        {
            var lines = SplitLines(text);
            var head = new HttpHead();
            string line = lines[0];
            int sp1 = line.IndexOf(' ');
            if (sp1 < 0 || !IsVersion(line.Substring(0, sp1))) { error = "bad status line"; return null; }
            int sp2 = line.IndexOf(' ', sp1 + 1);
            string code = sp2 < 0 ? line.Substring(sp1 + 1) : line.Substring(sp1 + 1, sp2 - sp1 - 1);
            if (code.Length != 3 || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 100)
            { error = "bad status code"; return null; }
            head.Version = line.Substring(0, sp1);
            head.Status = status;
            head.Reason = sp2 < 0 ? "" : line.Substring(sp2 + 1);
            return ParseFields(head, lines, out error) ? head : null;
        }

        static string[] SplitLines(string text)
        {
            var lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].EndsWith("\r", StringComparison.Ordinal)) lines[i] = lines[i].Substring(0, lines[i].Length - 1);
            return lines;
        }

        static bool ParseFields(HttpHead head, string[] lines, out string error)
        {
            for (int i = 1; i < lines.Length; i++)
            {
                string line = lines[i];
                if (line.Length == 0) continue;   // the trailing piece after the last line break
                if (line[0] == ' ' || line[0] == '\t') { error = "obsolete header line folding"; return false; }
                int colon = line.IndexOf(':');
                if (colon <= 0) { error = "header line without a name"; return false; }
                string name = line.Substring(0, colon);
                if (!IsToken(name)) { error = "bad header name"; return false; }
                string value = line.Substring(colon + 1).Trim(' ', '\t');
                foreach (char c in value) if ((c < ' ' && c != '\t') || c == 0x7F) { error = "control character in header value"; return false; }
                if (head.Headers.TryGetValue(name, out var previous))
                {
                    head.Repeated.Add(name);
                    head.Headers[name] = previous + ", " + value;
                }
                else head.Headers[name] = value;
            }
            error = null;
            return true;
        }

        static bool IsVersion(string s) => s == "HTTP/1.1" || s == "HTTP/1.0";

        static bool IsToken(string s)
        {
            if (s.Length == 0) return false;
            foreach (char c in s)
            {
                if (c <= ' ' || c >= 0x7F) return false;
                if ("()<>@,;:\\\"/[]?={}".IndexOf(c) >= 0) return false;
            }
            return true;
        }
    }
}
