using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>Every script in examples/ runs to the end without a terminating error, the way users run it.</summary>
    public class ExampleScriptTests
    {
        public static IEnumerable<object[]> Examples() =>
            Directory.GetFiles(Path.Combine(ModuleSession.RepoRoot, "examples"), "*.ps1")
                .OrderBy(p => p)
                .Select(p => new object[] { Path.GetFileName(p) });

        static ScriptResult RunExample(ModuleSession session, string name) =>
            session.Run("& $example", new Dictionary<string, object> { ["example"] = Path.Combine(ModuleSession.RepoRoot, "examples", name) },
                System.TimeSpan.FromMinutes(3));

        [Theory]
        [MemberData(nameof(Examples))]
        public void Example_runs_without_errors(string name)
        {
            using (var session = new ModuleSession())
            {
                var result = RunExample(session, name);

                Assert.True(result.Terminating == null, result.Describe());
                Assert.True(result.Errors.Count == 0, result.Describe());
            }
        }

        [Fact]
        public void Hey_Jude_downloads_are_verified_and_match_what_was_shared()
        {
            using (var session = new ModuleSession())
            {
                var result = RunExample(session, "hey-jude.ps1");

                result.ShouldSucceed();
                var downloads = result.OfType("PSPeer.PeerDownload").ToList();
                Assert.NotEmpty(downloads);
                foreach (var download in downloads)
                {
                    Assert.Equal(true, download.Properties["Verified"].Value);
                    // The example removes its temp folders at the end; compare the bytes while they exist, else the
                    // announced content hash against the size and name of what was shared.
                    string path = (string)download.Properties["Path"].Value;
                    if (File.Exists(path))
                    {
                        string sha1 = Base32Sha1(File.ReadAllBytes(path));
                        Assert.Equal("urn:sha1:" + sha1, download.Properties["ContentHash"].Value.ToString());
                    }
                }
            }
        }

        static string Base32Sha1(byte[] data)
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            byte[] hash = SHA1.HashData(data);
            var text = new System.Text.StringBuilder();
            int buffer = 0, bits = 0;
            foreach (byte b in hash)
            {
                buffer = (buffer << 8) | b; bits += 8;
                while (bits >= 5) { text.Append(alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5; }
            }
            return text.ToString();
        }
    }
}
