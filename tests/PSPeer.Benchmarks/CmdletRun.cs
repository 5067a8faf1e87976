using System;
using System.Globalization;
using System.IO;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Times Receive-PeerFile itself: runs receive-once.ps1 in src/PSPeer.Host (the module imported into a real
    /// runspace, progress and all) as a child process, and reads the seconds the script measured around the cmdlet.
    /// </summary>
    static class CmdletRun
    {
        /// <summary>The host built in this benchmark's configuration, or null.</summary>
        public static string FindHost()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "PSPeer.sln"))) dir = dir.Parent;
            if (dir == null) return null;
            // This benchmark runs from bin/<configuration>/net10.0/; the host of the same configuration is wanted.
            string configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)));
            string host = Path.Combine(dir.FullName, "src", "PSPeer.Host", "bin", configuration, "net10.0", "PSPeer.Host.dll");
            return File.Exists(host) ? host : null;
        }

        public static double ReceiveOnce(string hostDll, string shared, string name, string destination)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "receive-once.ps1");
            var (code, output) = ExternalProcess.Run(Environment.ProcessPath.EndsWith("dotnet") ? Environment.ProcessPath : "dotnet",
                $"\"{hostDll}\" \"{script}\" -SharedPath \"{shared}\" -Name \"{name}\" -Destination \"{destination}\"");
            foreach (var line in output.Split('\n'))
                if (line.StartsWith("seconds=") && double.TryParse(line.Substring(8).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double s))
                    return s;
            throw new InvalidOperationException($"receive-once.ps1 failed (exit {code}): {output}");
        }
    }
}
