using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>curl, an independent HTTP client, fetches from a PSPeer server: whole files and byte ranges.</summary>
    public class CurlInteropTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        internal static string FindCurl()
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin"))
            {
                if (string.IsNullOrEmpty(dir)) continue;
                foreach (var name in new[] { "curl", "curl.exe" })
                {
                    string p = Path.Combine(dir, name);
                    if (File.Exists(p)) return p;
                }
            }
            return null;
        }

        static async Task<int> RunAsync(string exe, params string[] args)
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            await p.WaitForExitAsync().WaitAsync(Timeout);
            return p.ExitCode;
        }

        [CurlTheory]
        [InlineData(null)]
        [InlineData("10-99")]
        [InlineData("2000000-")]
        public async Task Curl_fetches_exactly_the_original_bytes(string range)
        {
            string curl = FindCurl();
            using var root = new TempFolder();
            using var dest = new TempFolder();
            var data = TempFolder.RandomBytes(2_500_000, 3);
            root.Write("dir/Hey Jude.mp3", data);
            var folder = new SharedFolder(LiveRuntime.Loopback.Storage, root.Path, new HashCache());
            await folder.ScanAsync().WaitAsync(Timeout);
            var server = new HttpFileServer(LiveRuntime.Loopback, folder, null);
            await server.StartAsync(0).WaitAsync(Timeout);
            try
            {
                var file = folder.Files.Single();
                string byName = Path.Combine(dest.Path, "by-name"), byHash = Path.Combine(dest.Path, "by-hash");
                var common = range == null ? new string[0] : new[] { "-r", range };
                Assert.Equal(0, await RunAsync(curl, common.Concat(new[] { "-s", "-f", "-o", byName, $"http://{server.EndPoint}/get/{file.Index}/dir/Hey%20Jude.mp3" }).ToArray()));
                Assert.Equal(0, await RunAsync(curl, common.Concat(new[] { "-s", "-f", "-o", byHash, $"http://{server.EndPoint}/uri-res/N2R?{file.ContentHash}" }).ToArray()));

                byte[] expected = data;
                if (range == "10-99") expected = data.Skip(10).Take(90).ToArray();
                if (range == "2000000-") expected = data.Skip(2_000_000).ToArray();
                Assert.Equal(expected, File.ReadAllBytes(byName));
                Assert.Equal(expected, File.ReadAllBytes(byHash));
            }
            finally { await server.StopAsync().WaitAsync(Timeout); }
        }
    }

    /// <summary>A theory that reports itself skipped, saying what to install, where curl is missing.</summary>
    public sealed class CurlTheoryAttribute : TheoryAttribute
    {
        public CurlTheoryAttribute()
        {
            if (CurlInteropTests.FindCurl() == null) Skip = "curl is not installed (apt-get install curl): the curl interop check did not run.";
        }
    }
}
