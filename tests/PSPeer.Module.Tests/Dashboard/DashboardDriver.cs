using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Module.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Module.Tests.Dashboard
{
    /// <summary>
    /// Runs tests/browser/dashboard.mjs against a dashboard and talks to it by lines, the same for every browser test:
    /// when it prints "DRAWN", the test's own step runs (a search, a lookup...) and the driver is told "SEARCHED" (with
    /// what the step returns, if anything, on the same line); its "RESULT &lt;json&gt;" is what the test then checks.
    /// Its log (timed lines and stderr) is kept beside the screenshots.
    /// </summary>
    internal static class DashboardDriver
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(150);

        /// <summary>The driver's modes: its first argument (none: a live network's search, events and refusals).</summary>
        public const string Live = null, Simulated = "--simulated", Ring = "--ring", Counters = "--counters";

        /// <summary>
        /// Drives the page at <paramref name="url"/> (with <paramref name="nodes"/> nodes to draw) in
        /// <paramref name="mode"/>; runs <paramref name="whenDrawn"/> (given a way to add a line to the log) once the page
        /// is drawn; asserts the driver finished and succeeded; returns its RESULT json.
        /// </summary>
        public static Task<string> RunAsync(ITestOutputHelper output, string shots, string mode, string url, int nodes,
            Action<Action<string>> whenDrawn, params string[] extra) =>
            RunAsync(output, shots, mode, url, nodes, note => { whenDrawn(note); return null; }, extra);

        /// <summary>As above, telling the driver what <paramref name="whenDrawn"/> returns (one line of text) with "SEARCHED".</summary>
        public static async Task<string> RunAsync(ITestOutputHelper output, string shots, string mode, string url, int nodes,
            Func<Action<string>, string> whenDrawn, params string[] extra)
        {
            var driver = Start(shots, mode, url, nodes, extra);
            var lines = new List<string>();
            void Note(string line) { lock (lines) lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); }
            string result = null;
            var finished = Task.Run(async () =>
            {
                string line;
                while ((line = await driver.StandardOutput.ReadLineAsync()) != null)
                {
                    Note(line);
                    if (line.StartsWith("DRAWN ", StringComparison.Ordinal))
                    {
                        // The page is open and drawn: the test's step now, so its events reach the page live.
                        string told = whenDrawn(Note);
                        await driver.StandardInput.WriteLineAsync(told == null ? "SEARCHED" : "SEARCHED " + told);
                        await driver.StandardInput.FlushAsync();
                    }
                    if (line.StartsWith("RESULT ", StringComparison.Ordinal)) result = line.Substring(7);
                }
            });
            var stderr = driver.StandardError.ReadToEndAsync();
            bool exited = driver.WaitForExit((int)Limit.TotalMilliseconds);
            if (!exited) { try { driver.Kill(true); } catch (InvalidOperationException) { } }
            await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(10)));
            if (finished.IsFaulted) await finished;   // an assertion in the test's step
            string errors = await stderr, log;
            lock (lines) log = string.Join("\n", lines) + "\n" + errors;
            File.WriteAllText(Path.Combine(shots, "driver.log"), log);
            output.WriteLine(log);
            Assert.True(exited, "the browser driver did not finish in time:\n" + log);
            Assert.True(driver.ExitCode == 0 && result != null, "the browser test failed:\n" + log);
            return result;
        }

        static Process Start(string shots, string mode, string url, int nodes, string[] extra)
        {
            var start = new ProcessStartInfo(BrowserTools.Node)
            {
                WorkingDirectory = BrowserTools.DriverFolder,
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            start.ArgumentList.Add("dashboard.mjs");
            if (mode != null) start.ArgumentList.Add(mode);
            foreach (string arg in new[] { url, nodes.ToString(), shots }) start.ArgumentList.Add(arg);
            foreach (string arg in extra) start.ArgumentList.Add(arg);
            start.Environment["PSPEER_CHROMIUM"] = BrowserTools.Chromium;
            return Process.Start(start);
        }
    }
}
