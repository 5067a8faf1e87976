using System;
using System.Collections.Generic;
using System.IO;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// The page's files, embedded in PSPeer.dll from src/PSPeer.Dashboard.Web/dist (built by its build script and
    /// committed, so the module builds with the .NET SDK alone). Read once, served from memory.
    /// </summary>
    internal static class DashboardAssets
    {
        const string Prefix = "PSPeer.Dashboard.Web.";
        static readonly Lazy<Dictionary<string, byte[]>> Files = new Lazy<Dictionary<string, byte[]>>(Load);

        /// <summary>The file's bytes and content type, or null when the page has no such file.</summary>
        public static byte[] Get(string name, out string contentType)
        {
            contentType = ContentTypeOf(name);
            return Files.Value.TryGetValue(name, out var bytes) ? bytes : null;
        }

        static string ContentTypeOf(string name)
        {
            switch (Path.GetExtension(name))
            {
                case ".html": return "text/html; charset=utf-8";
                case ".js": return "text/javascript; charset=utf-8";
                case ".css": return "text/css; charset=utf-8";
                default: return "application/octet-stream";
            }
        }

        static Dictionary<string, byte[]> Load()
        {
            var assembly = typeof(DashboardAssets).Assembly;
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (string resource in assembly.GetManifestResourceNames())
            {
                if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
                using (var stream = assembly.GetManifestResourceStream(resource))
                using (var copy = new MemoryStream())
                {
                    stream.CopyTo(copy);
                    files[resource.Substring(Prefix.Length)] = copy.ToArray();
                }
            }
            return files;
        }
    }
}
