using System;
using System.IO;

namespace PSPeer.Module.Tests.Support
{
    /// <summary>A unique folder under the system temp directory, removed (best effort) on Dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder(string prefix = "pspeer-mt")
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Sub(string name)
        {
            string path = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(path);
            return path;
        }

        /// <summary>Writes <paramref name="size"/> deterministic pseudo-random bytes (from <paramref name="seed"/>).</summary>
        public static string WriteRandomFile(string folder, string name, long size, int seed)
        {
            string path = System.IO.Path.Combine(folder, name);
            var random = new Random(seed);
            var buffer = new byte[1 << 20];
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                for (long left = size; left > 0; left -= buffer.Length)
                {
                    random.NextBytes(buffer);
                    file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
                }
            }
            return path;
        }

        public void Dispose()
        {
            try { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); }
            catch (IOException) { /* a file still held open by a stopping node: the temp folder is cleaned later */ }
            catch (UnauthorizedAccessException) { }
        }
    }
}
