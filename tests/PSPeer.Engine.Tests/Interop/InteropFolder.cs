using System;
using System.IO;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>
    /// A temporary folder for a tool's files, readable by every user (opentracker drops to user nobody before it reads
    /// its whitelist), deleted on Dispose.
    /// </summary>
    public sealed class InteropFolder : IDisposable
    {
        public InteropFolder(string label = "interop")
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pspeer-" + label + "-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Path);
            MakeWorldReadable(Path, directory: true);
        }

        public string Path { get; }

        /// <summary>Full path of <paramref name="relative"/> ('/'-separated) inside the folder; creates its parent folders.</summary>
        public string File(string relative)
        {
            string full = System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));
            string parent = System.IO.Path.GetDirectoryName(full);
            if (!Directory.Exists(parent))
            {
                Directory.CreateDirectory(parent);
                MakeWorldReadable(parent, directory: true);
            }
            return full;
        }

        public string Write(string relative, byte[] content)
        {
            string full = File(relative);
            System.IO.File.WriteAllBytes(full, content);
            MakeWorldReadable(full, directory: false);
            return full;
        }

        public string WriteText(string relative, string content)
        {
            string full = File(relative);
            System.IO.File.WriteAllText(full, content);
            MakeWorldReadable(full, directory: false);
            return full;
        }

        static void MakeWorldReadable(string path, bool directory)
        {
            if (OperatingSystem.IsWindows()) return;
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            if (directory) mode |= UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            System.IO.File.SetUnixFileMode(path, mode);
        }

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
