using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>
    /// Finds real command-line tools (aria2c, opentracker, mktorrent, transmission-*, Debian's python3 with libtorrent)
    /// and runs them to completion with a time limit. For tools that keep running (a seeder, a tracker) use
    /// <see cref="ToolProcess"/>.
    /// </summary>
    public static class ExternalTool
    {
        /// <summary>Debian's own python3: python3-libtorrent is built for it, not for another python3 on PATH.</summary>
        public const string DebianPython = "/usr/bin/python3";

        // Tool name -> the Debian package that installs it, for skip messages that say what to do.
        static readonly Dictionary<string, string> Packages = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aria2c"] = "aria2",
            ["opentracker"] = "opentracker",
            ["mktorrent"] = "mktorrent",
            ["transmission-cli"] = "transmission-cli",
            ["transmission-show"] = "transmission-cli",
            ["transmission-create"] = "transmission-cli",
            ["curl"] = "curl",
            [Libtorrent.ToolName] = "python3-libtorrent",
        };

        static readonly Dictionary<string, string> Found = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Full path of <paramref name="name"/> on PATH (or /usr/bin, /usr/sbin), or null when it is not installed.</summary>
        public static string Find(string name)
        {
            lock (Found)
            {
                if (Found.TryGetValue(name, out var cached)) return cached;
                string path = name == Libtorrent.ToolName ? Libtorrent.FindPython() : Search(name);
                Found[name] = path;
                return path;
            }
        }

        static string Search(string name)
        {
            var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(new[] { "/usr/bin", "/usr/sbin", "/usr/local/bin" });
            foreach (var dir in dirs)
            {
                if (string.IsNullOrEmpty(dir)) continue;
                foreach (var candidate in new[] { name, name + ".exe" })
                {
                    string p = Path.Combine(dir, candidate);
                    if (File.Exists(p)) return p;
                }
            }
            return null;
        }

        /// <summary>Null when every tool is installed; otherwise a skip message naming what is missing and how to install it.</summary>
        public static string MissingReason(params string[] tools)
        {
            var missing = tools.Where(t => Find(t) == null).ToList();
            if (missing.Count == 0) return null;
            var packages = missing.Select(t => Packages.TryGetValue(t, out var p) ? p : t).Distinct();
            return $"{string.Join(", ", missing)} not installed (apt-get install {string.Join(" ", packages)}): this interop check did not run. CI installs them.";
        }

        /// <summary>The path of <paramref name="name"/>; throws (failing the test) when missing — call it only under an InteropFact.</summary>
        public static string Require(string name) =>
            Find(name) ?? throw new InvalidOperationException(MissingReason(name));

        /// <summary>Runs a tool to its end; kills it (and fails) when it outlives <paramref name="timeout"/>.</summary>
        public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, string workingDirectory = null)
        {
            using (var process = ToolProcess.Start(tool, arguments, workingDirectory))
            {
                bool exited = await process.WaitForExitAsync(timeout);
                if (!exited) throw new TimeoutException($"{process.Describe()} did not finish within {timeout.TotalSeconds:0} s. Output:\n{process.Output}");
                return new ToolResult(process.ExitCode, process.StandardOutput, process.StandardError);
            }
        }

        public static Task<ToolResult> RunAsync(string tool, params string[] arguments) => RunAsync(tool, arguments, TimeSpan.FromSeconds(60));
    }

    public sealed class ToolResult
    {
        public ToolResult(int exitCode, string standardOutput, string standardError)
        {
            ExitCode = exitCode; StandardOutput = standardOutput; StandardError = standardError;
        }
        public int ExitCode { get; }
        public string StandardOutput { get; }
        public string StandardError { get; }
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }
}
