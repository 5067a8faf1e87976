using System;
using System.Globalization;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Content
{
    /// <summary>What a request-target names: a shared file, or the status explaining why not.</summary>
    readonly struct HttpRoute
    {
        public HttpRoute(SharedFile file) { File = file; Status = 200; Problem = null; }
        public HttpRoute(int status, string problem) { File = null; Status = status; Problem = problem; }
        public SharedFile File { get; }
        public int Status { get; }
        public string Problem { get; }
    }

    /// <summary>
    /// Maps a request-target to one of the folder's shared files. The target never becomes a file-system path: it
    /// names an index and must repeat that file's Name, or names a content hash. So "..", absolute paths, backslashes
    /// and NUL can never reach outside the folder; they are refused with 400 so the attempt shows in the events.
    /// </summary>
    static class HttpRequestRouter
    {
        const string GetPrefix = "/get/";
        const string N2RPath = "/uri-res/N2R";

        public static HttpRoute Resolve(SharedFolder folder, string target)
        {
            if (string.IsNullOrEmpty(target) || target[0] != '/') return new HttpRoute(400, "request target must be an absolute path");
            int q = target.IndexOf('?');
            string path = q < 0 ? target : target.Substring(0, q);
            string query = q < 0 ? null : target.Substring(q + 1);

            if (string.Equals(path, N2RPath, StringComparison.Ordinal))
            {
                if (query == null || !UrlPath.TryDecode(query, out var urn)) return new HttpRoute(400, "N2R needs ?urn:sha1:<base32>");
                if (!urn.StartsWith(ContentHash.Prefix, StringComparison.OrdinalIgnoreCase) || !ContentHash.TryParse(urn, out var hash))
                    return new HttpRoute(400, "N2R needs ?urn:sha1:<base32>");
                var byHash = folder.GetByHash(hash);
                return byHash == null ? new HttpRoute(404, "no shared file has " + hash) : new HttpRoute(byHash);
            }

            if (path.StartsWith(GetPrefix, StringComparison.Ordinal))
            {
                string rest = path.Substring(GetPrefix.Length);
                int slash = rest.IndexOf('/');
                if (slash <= 0 || slash > 9) return new HttpRoute(404, "expected /get/<index>/<name>");
                string indexText = rest.Substring(0, slash);
                foreach (char c in indexText) if (c < '0' || c > '9') return new HttpRoute(404, "file index is not a number");
                int index = int.Parse(indexText, NumberStyles.None, CultureInfo.InvariantCulture);
                if (!UrlPath.TryDecode(rest.Substring(slash + 1), out var name)) return new HttpRoute(400, "bad percent-encoding in file name");
                string unsafeReason = UnsafeNameReason(name);
                if (unsafeReason != null) return new HttpRoute(400, unsafeReason);
                var byIndex = folder.GetByIndex(index);
                if (byIndex == null || !string.Equals(byIndex.Name, name, StringComparison.Ordinal))
                    return new HttpRoute(404, $"no shared file {index} named '{name}'");
                return new HttpRoute(byIndex);
            }
            return new HttpRoute(404, "unknown path");
        }

        // Names of shared files are relative paths with '/' and no dot segments, so any of these is an attack or a bug.
        static string UnsafeNameReason(string name)
        {
            if (name.Length == 0) return "empty file name";
            if (name.IndexOf('\0') >= 0) return "NUL in file name";
            if (name.IndexOf('\\') >= 0) return "backslash in file name";
            if (name[0] == '/' || (name.Length > 1 && name[1] == ':')) return "absolute path in file name";
            foreach (var segment in name.Split('/'))
                if (segment == ".." || segment == ".") return "dot segment in file name";
            return null;
        }
    }
}
