using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PSPeer.Engine.Content
{
    /// <summary>Builds response heads: status line, the headers every PSPeer response carries, and the caller's.</summary>
    static class HttpResponseWriter
    {
        public const string ServerName = "PSPeer/0.1";

        public static string ReasonPhrase(int status)
        {
            switch (status)
            {
                case 200: return "OK";
                case 206: return "Partial Content";
                case 400: return "Bad Request";
                case 403: return "Forbidden";
                case 404: return "Not Found";
                case 405: return "Method Not Allowed";
                case 416: return "Range Not Satisfiable";
                case 431: return "Request Header Fields Too Large";
                case 500: return "Internal Server Error";
                case 505: return "HTTP Version Not Supported";
                default: return "Status";
            }
        }

        public static byte[] Head(int status, DateTimeOffset now, bool keepAlive, IEnumerable<KeyValuePair<string, string>> headers)
        {
            var sb = new StringBuilder(256);
            sb.Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(status)).Append("\r\n");
            sb.Append("Server: ").Append(ServerName).Append("\r\n");
            sb.Append("Date: ").Append(now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
            sb.Append("Connection: ").Append(keepAlive ? "keep-alive" : "close").Append("\r\n");
            foreach (var h in headers) sb.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            sb.Append("\r\n");
            return Encoding.ASCII.GetBytes(sb.ToString());
        }

        /// <summary>A complete short response whose text body explains the error (to curl users, among others).</summary>
        public static byte[] Error(int status, DateTimeOffset now, bool keepAlive, string problem, bool headOnly, params KeyValuePair<string, string>[] extra)
        {
            var body = Encoding.UTF8.GetBytes(status.ToString(CultureInfo.InvariantCulture) + " " + ReasonPhrase(status) + ": " + (problem ?? "") + "\n");
            var headers = new List<KeyValuePair<string, string>>(extra)
            {
                H("Content-Type", "text/plain; charset=utf-8"),
                H("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)),
            };
            var head = Head(status, now, keepAlive, headers);
            if (headOnly) return head;
            var all = new byte[head.Length + body.Length];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, 0, all, head.Length, body.Length);
            return all;
        }

        public static KeyValuePair<string, string> H(string name, string value) => new KeyValuePair<string, string>(name, value);
    }
}
