using System;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>Publish-PeerFile: new files reach the index; paths that are not files are refused one by one.</summary>
    public class PublishPeerFileTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();
        readonly NapsterScenario _scenario;

        public PublishPeerFileTests() => _scenario = new NapsterScenario(_session);

        ScriptResult Run(string script)
        {
            var variables = _scenario.Variables;
            variables["extra"] = _session.Temp.Sub("extra");   // outside bob's shared folder
            return _session.Run(NapsterScenario.StartScript + script, variables);
        }

        [Fact]
        public void A_published_file_is_emitted_with_PassThru_and_found_through_the_index()
        {
            var result = Run(@"
                $file = [IO.Path]::Combine($extra, 'Yellow Submarine.mp3')
                [IO.File]::WriteAllBytes($file, [byte[]](1..200))
                Publish-PeerFile $file -Node $bob -PassThru
                Find-PeerFile 'yellow submarine' -Via $alice -Timeout 5");

            result.ShouldSucceed();
            var shared = Assert.Single(result.OfType("PSPeer.PeerSharedFile"));
            Assert.Equal("Yellow Submarine.mp3", shared.Properties["Name"].Value);
            var hit = Assert.Single(result.OfType("PSPeer.PeerSearchHit"));
            Assert.Equal("Yellow Submarine.mp3", hit.Properties["Name"].Value);
        }

        [Fact]
        public void A_path_on_another_provider_is_one_PeerFileNotFound_error_and_nothing_is_shared()
        {
            var result = Run(@"
                $before = $bob.SharedFileCount
                Publish-PeerFile Env:\PATH -Node $bob -PassThru
                $bob.SharedFileCount - $before");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("PeerFileNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(0, Convert.ToInt32(Assert.Single(result.Output).BaseObject));
        }

        public void Dispose() => _session.Dispose();
    }
}
