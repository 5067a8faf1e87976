using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>
    /// The written help cannot drift from the code again: every public parameter of every exported cmdlet has an entry
    /// in Get-Help (with the pipeline input the code accepts), and about_PSPeer names every event type and every error
    /// id a user can meet. The lists are read from the loaded module, so a new parameter, event type or error id fails
    /// here until it is documented.
    /// </summary>
    public class HelpCoverageTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        static string AboutText => File.ReadAllText(Path.Combine(Path.GetDirectoryName(ModuleSession.RequireManifest()), "en-US", "about_PSPeer.help.txt"));

        [Fact]
        public void Every_public_parameter_of_every_exported_cmdlet_is_in_its_help()
        {
            // WhatIf and Confirm are "optional common" parameters: they must be documented where the cmdlet has them.
            var result = _session.Run(@"
                $common = [System.Management.Automation.PSCmdlet]::CommonParameters
                Get-Command -Module PSPeer -CommandType Cmdlet | ForEach-Object {
                    $command = $_
                    $help = @((Get-Help $command.Name -Full).parameters.parameter)
                    foreach ($parameter in $command.Parameters.Values) {
                        if ($parameter.Name -in $common) { continue }
                        $entry = $help | Where-Object { $_.name -eq $parameter.Name } | Select-Object -First 1
                        $sets = $parameter.ParameterSets.Values
                        [pscustomobject]@{
                            Cmdlet = $command.Name; Parameter = $parameter.Name; Documented = $null -ne $entry
                            ByValue = [bool]($sets | Where-Object ValueFromPipeline)
                            ByPropertyName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
                            HelpPipeline = if ($entry) { ""$($entry.pipelineInput)"" } else { '' }
                        }
                    }
                }");

            result.ShouldSucceed();
            Assert.True(result.Output.Count > 60, $"only {result.Output.Count} parameters seen");
            string Name(System.Management.Automation.PSObject o) => $"{o.Properties["Cmdlet"].Value} -{o.Properties["Parameter"].Value}";
            var missing = result.Output.Where(o => !(bool)o.Properties["Documented"].Value).Select(Name).ToList();
            Assert.True(missing.Count == 0, "parameters without help: " + string.Join(", ", missing));

            // The help says how each parameter takes pipeline input, as the code does.
            var wrong = result.Output.Where(o =>
            {
                string help = (string)o.Properties["HelpPipeline"].Value;
                bool byValue = (bool)o.Properties["ByValue"].Value, byName = (bool)o.Properties["ByPropertyName"].Value;
                return help.Contains("ByValue") != byValue || help.Contains("ByPropertyName") != byName
                    || help.StartsWith("true", StringComparison.OrdinalIgnoreCase) != (byValue || byName);
            }).Select(o => $"{Name(o)} (help: '{o.Properties["HelpPipeline"].Value}')").ToList();
            Assert.True(wrong.Count == 0, "pipeline input differs from the help: " + string.Join(", ", wrong));
        }

        [Fact]
        public void About_PSPeer_describes_every_event_type()
        {
            var result = _session.Run("[PSPeer.Engine.Core.PeerEventTypes]::All");
            result.ShouldSucceed();
            var types = result.Output.Select(o => (string)o.BaseObject).ToList();
            Assert.Contains("EventsDropped", types);

            string events = Section(AboutText, "EVENTS");
            var missing = types.Where(t => !Regex.IsMatch(events, @"\b" + t + @"\b")).ToList();
            Assert.True(missing.Count == 0, "event types missing from about_PSPeer EVENTS: " + string.Join(", ", missing));
        }

        /// <summary>Declared ids that no code path raises today; documenting them would describe errors no user meets.</summary>
        static readonly string[] NotRaised = { "IndexServerInvalid", "ProtocolViolation" };

        [Fact]
        public void About_PSPeer_lists_every_error_id_in_ERRORS()
        {
            var result = _session.Run(@"
                foreach ($type in [PSPeer.Engine.Core.PeerErrorIds], [PSPeer.CmdletErrorIds]) {
                    $type.GetFields('Public,Static') | Where-Object IsLiteral | ForEach-Object { $_.GetRawConstantValue() }
                }
                [PSPeer.NewTorrentCommand]::TorrentFileExists");
            result.ShouldSucceed();
            var ids = result.Output.Select(o => (string)o.BaseObject).Distinct().Except(NotRaised).ToList();
            Assert.Contains("AddressNotAvailable", ids);
            Assert.Contains("ParameterNotApplicable", ids);

            // Each id starts a line of the ERRORS table: "    <Id>   what it means".
            string errors = Section(AboutText, "ERRORS");
            var missing = ids.Where(id => !Regex.IsMatch(errors, @"^    " + id + @"\s", RegexOptions.Multiline)).ToList();
            Assert.True(missing.Count == 0, "error ids missing from about_PSPeer ERRORS: " + string.Join(", ", missing));
        }

        /// <summary>The text of a top-level section of an about_ file: from its title line to the next title line.</summary>
        static string Section(string about, string title)
        {
            var match = Regex.Match(about, @"^" + Regex.Escape(title) + @"\r?\n(?<body>.*?)(?=^\S)", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.True(match.Success, $"no section {title} in about_PSPeer");
            return match.Groups["body"].Value;
        }

        public void Dispose() => _session.Dispose();
    }
}
