using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace PSPeer.Module.Tests.Support
{
    /// <summary>
    /// What the browser tests need: Debian's chromium (PSPEER_CHROMIUM to point elsewhere), Node.js, and the driver's
    /// npm packages in tests/browser (playwright-core, pinned by its package-lock.json; installed with `npm ci` by
    /// .ci/install-tools.sh, or here once if npm is at hand). Where one is missing the tests skip and say which.
    /// </summary>
    public static class BrowserTools
    {
        static readonly Lazy<string> Reason = new Lazy<string>(FindWhyNot);

        public static string DriverFolder => Path.Combine(ModuleSession.RepoRoot, "tests", "browser");
        public static string Chromium => Environment.GetEnvironmentVariable("PSPEER_CHROMIUM") ?? "/usr/bin/chromium";
        public static string Node => OnPath("node");

        /// <summary>Screenshots and logs of the browser tests: TestResults/browser under the repository.</summary>
        public static string ArtifactFolder(string test)
        {
            string folder = Path.Combine(ModuleSession.RepoRoot, "TestResults", "browser", test);
            Directory.CreateDirectory(folder);
            return folder;
        }

        /// <summary>Null when the browser tests can run, else why not.</summary>
        public static string WhyNot() => Reason.Value;

        static string FindWhyNot()
        {
            if (!File.Exists(Chromium)) return $"chromium is not installed at {Chromium} (apt-get install chromium, as .ci/install-tools.sh does)";
            if (Node == null) return "Node.js (node) is not on PATH: the browser driver is a Node script";
            if (!Directory.Exists(Path.Combine(DriverFolder, "node_modules", "playwright-core")))
            {
                string npm = OnPath("npm");
                if (npm == null) return "tests/browser has no node_modules and npm is not on PATH (run npm ci there)";
                var run = Process.Start(new ProcessStartInfo(npm, "ci --no-audit --no-fund")
                {
                    WorkingDirectory = DriverFolder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
                });
                run.StandardOutput.ReadToEndAsync();
                var error = run.StandardError.ReadToEndAsync();
                if (!run.WaitForExit(180_000)) { try { run.Kill(); } catch (Exception) { } return "npm ci in tests/browser did not finish in 3 minutes"; }
                if (run.ExitCode != 0) return "npm ci in tests/browser failed: " + error.Result.Trim();
            }
            return null;
        }

        static string OnPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Where(d => d.Length > 0).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>A fact that drives a real browser; skips, saying what is missing, where chromium, node or the driver is not installed.</summary>
    public sealed class BrowserFactAttribute : FactAttribute
    {
        public BrowserFactAttribute()
        {
            var reason = BrowserTools.WhyNot();
            if (reason != null) Skip = reason;
        }
    }
}
