using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>
    /// Every example of the built help runs as pasted: each `Get-Help &lt;cmdlet&gt; -Examples` code block and each code
    /// block of about_PSPeer, alone, in a fresh session located in an empty temp folder. Removing the module
    /// afterwards stops whatever nodes the example started. An example that needs other machines or a browser says so
    /// on a line `# Requires: ...` and is only checked for saying what it needs.
    /// </summary>
    public class HelpExampleTests
    {
        static readonly TimeSpan ExampleTimeout = TimeSpan.FromSeconds(120);
        static readonly Regex RequiresMarker = new Regex(@"^\s*#\s*Requires:\s*(?<what>.+)$", RegexOptions.Multiline);

        static string HelpFolder => Path.Combine(Path.GetDirectoryName(ModuleSession.RequireManifest()), "en-US");

        /// <summary>Title -> code of every example in the built MAML, titled "Cmdlet: Example N: ...".</summary>
        public static Dictionary<string, string> MamlExamples()
        {
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
            XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";
            var examples = new Dictionary<string, string>();
            foreach (var cmd in XDocument.Load(Path.Combine(HelpFolder, "PSPeer.dll-Help.xml")).Descendants(command + "command"))
            {
                string name = cmd.Element(command + "details").Element(command + "name").Value;
                foreach (var example in cmd.Descendants(command + "example"))
                {
                    string title = example.Element(maml + "title").Value.Trim('-', ' ');
                    examples.Add(name + ": " + title, example.Element(dev + "code").Value);
                }
            }
            return examples;
        }

        /// <summary>
        /// Title -> code of the code blocks of about_PSPeer: a block starts at a line indented by exactly eight spaces
        /// after a blank line (prose is indented by four) and runs until a line indented by less.
        /// </summary>
        public static Dictionary<string, string> AboutExamples()
        {
            var lines = File.ReadAllLines(Path.Combine(HelpFolder, "about_PSPeer.help.txt"));
            var blocks = new Dictionary<string, string>();
            string section = "";
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0 && !char.IsWhiteSpace(lines[i][0])) section = lines[i].Trim();
                bool starts = Indent(lines[i]) == 8 && lines[i].Trim().Length > 0 && i > 0 && lines[i - 1].Trim().Length == 0;
                if (!starts) continue;
                var code = new List<string>();
                for (; i < lines.Length && (lines[i].Trim().Length == 0 || Indent(lines[i]) >= 8); i++)
                    code.Add(lines[i].Length >= 8 ? lines[i].Substring(8) : "");
                i--;   // the line that ended the block may start a section
                blocks.Add($"about_PSPeer: {section} ({blocks.Count(b => b.Key.StartsWith("about_PSPeer: " + section + " ")) + 1})", string.Join("\n", code).Trim());
            }
            return blocks;
        }

        static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

        public static IEnumerable<object[]> Examples() =>
            MamlExamples().Concat(AboutExamples()).Select(e => new object[] { e.Key });

        [Fact]
        public void The_help_holds_the_examples_this_test_runs()
        {
            var maml = MamlExamples();
            var about = AboutExamples();

            Assert.True(maml.Count >= 30, $"only {maml.Count} help examples found");
            Assert.Contains(about.Keys, k => k.StartsWith("about_PSPeer: QUICK START", StringComparison.Ordinal));
            Assert.Contains(about.Keys, k => k.StartsWith("about_PSPeer: BITTORRENT", StringComparison.Ordinal));
            Assert.Contains(about.Keys, k => k.StartsWith("about_PSPeer: GNUTELLA", StringComparison.Ordinal));
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public void Example_runs_as_pasted_in_an_empty_folder(string title)
        {
            string code = MamlExamples().Concat(AboutExamples()).Single(e => e.Key == title).Value;
            var requires = RequiresMarker.Match(code);
            if (requires.Success)
            {
                // Not runnable here: it must say what it needs, and that it needs something this machine lacks.
                Assert.Matches(@"other machines|a browser", requires.Groups["what"].Value);
                return;
            }

            using (var session = new ModuleSession())
            {
                Assert.Empty(Directory.EnumerateFileSystemEntries(session.Temp.Path));
                ScriptResult result;
                try
                {
                    result = session.Run(code, timeout: ExampleTimeout);
                }
                catch (TimeoutException)
                {
                    throw new Xunit.Sdk.XunitException($"{title}: did not finish within {ExampleTimeout.TotalSeconds} s");
                }
                if (result.Terminating != null || result.HadErrors)
                    throw new Xunit.Sdk.XunitException($"{title} failed:\n{result.Describe()}\n--- code ---\n{code}");
            }
        }
    }
}
