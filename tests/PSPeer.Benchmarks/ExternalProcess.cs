using System;
using System.Diagnostics;
using System.IO;

namespace PSPeer.Benchmarks
{
    /// <summary>Runs a tool (curl, sha1sum, nginx) and returns its exit code and output.</summary>
    static class ExternalProcess
    {
        public static bool Exists(string tool)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, tool))) return true;
            return File.Exists("/usr/sbin/" + tool);
        }

        public static (int ExitCode, string Output) Run(string file, string arguments, int timeoutMs = 600_000)
        {
            var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeoutMs)) { p.Kill(true); return (-1, "timed out"); }
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
