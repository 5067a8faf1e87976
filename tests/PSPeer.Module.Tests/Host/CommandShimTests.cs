using System.IO;
using System.Linq;
using PSPeer.Host.Session;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    /// <summary>The stand-ins the host defines for Utility/Management cmdlets that the SMA package does not carry.</summary>
    public class CommandShimTests : System.IDisposable
    {
        readonly ModuleSession _session = new ModuleSession(importModule: false);

        [Fact]
        public void Missing_everyday_cmdlets_are_defined_as_functions()
        {
            var result = _session.Run("'Write-Host','Join-Path','Select-Object','Out-String','Start-Sleep' | ForEach-Object { (Get-Command $_).CommandType.ToString() }");

            result.ShouldSucceed();
            Assert.All(result.Output, o => Assert.Equal("Function", o.BaseObject));
            Assert.Contains("Write-Host", PeerSessionFactory.ShimNames);
        }

        [Fact]
        public void Core_cmdlets_are_never_replaced()
        {
            var result = _session.Run("(Get-Command ForEach-Object).CommandType.ToString(); (Get-Command Out-Default).CommandType.ToString()");

            result.ShouldSucceed();
            Assert.Equal(new object[] { "Cmdlet", "Cmdlet" }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void Path_and_file_stand_ins_work_relative_to_the_location()
        {
            var result = _session.Run(@"
                $dir = New-Item -ItemType Directory -Path sub
                Set-Content -Path (Join-Path 'sub' 'a.txt') -Value 'hello'
                Test-Path sub/a.txt
                Test-Path sub/a.txt -PathType Container
                Get-Content sub/a.txt
                (Get-ChildItem sub).Name
                (Get-FileHash sub/a.txt -Algorithm SHA1).Hash
                Remove-Item sub -Recurse
                Test-Path sub");

            result.ShouldSucceed();
            var values = result.Output.Select(o => o.BaseObject).ToArray();
            Assert.Equal(true, values[0]);
            Assert.Equal(false, values[1]);
            Assert.Equal("hello", values[2]);
            Assert.Equal("a.txt", values[3]);
            // SHA-1 of "hello" plus the platform's newline, as Set-Content writes it.
            string expected = System.Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes("hello" + System.Environment.NewLine)));
            Assert.Equal(expected, values[4]);
            Assert.Equal(false, values[5]);
            Assert.False(Directory.Exists(Path.Combine(_session.Temp.Path, "sub")));
        }

        [Fact]
        public void Object_stand_ins_select_sort_and_measure()
        {
            var result = _session.Run(@"
                (5,3,9,1 | Sort-Object) -join ','
                (5,3,9,1 | Sort-Object -Descending | Select-Object -First 2) -join ','
                (1..10 | Select-Object -Skip 2 -Last 3) -join ','
                (1..4 | Measure-Object -Sum).Sum
                ([pscustomobject]@{ A = 1; B = 2 } | Select-Object -Property B).PSObject.Properties.Name -join ','
                [pscustomobject]@{ A = 1 } | Select-Object -Property @{ Name = 'Twice'; Expression = { $_.A * 2 } } | ForEach-Object Twice");

            result.ShouldSucceed();
            Assert.Equal(new object[] { "1,3,5,9", "9,5", "8,9,10", 10.0, "B", 2 }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void Out_String_renders_PowerShell_formatting_into_a_string_without_escapes()
        {
            var result = _session.Run("[pscustomobject]@{ Name = 'x'; Size = 42 } | Out-String");

            result.ShouldSucceed();
            string text = (string)result.Output.Single().BaseObject;
            Assert.Contains("Name Size", text);
            Assert.Contains("----", text);
            Assert.Contains("x      42", text);
            Assert.DoesNotContain("\u001b", text, System.StringComparison.Ordinal);
            Assert.Equal("", _session.HostOutput.Trim());
        }

        [Fact]
        public void Write_stand_ins_reach_the_right_streams()
        {
            var result = _session.Run("Write-Host 'to host'; Write-Output 1,2; Write-Warning 'careful'; Write-Error 'bad' -ErrorId Bad");

            Assert.Equal(new object[] { 1, 2 }, result.Output.Select(o => o.BaseObject).ToArray());
            Assert.Contains("to host", _session.HostOutput);
            Assert.Contains("WARNING: careful", _session.HostError);
            Assert.Equal("Bad,Write-Error", result.Errors.Single().FullyQualifiedErrorId);
        }

        public void Dispose() => _session.Dispose();
    }
}
