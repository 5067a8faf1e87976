using System.Collections.Generic;
using System.IO;

namespace PSPeer.Module.Tests.Support
{
    /// <summary>
    /// The usual small network: an index server, 'bob' sharing a music folder and 'alice' with nothing shared,
    /// each started by the real cmdlets in the session. Files are generated in the session's temp folder.
    /// </summary>
    public sealed class NapsterScenario
    {
        public const string StartScript = @"
            $index = Start-PeerNode -Protocol Napster -Role IndexServer
            $bob   = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $music -Name bob
            $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name alice
        ";

        public NapsterScenario(ModuleSession session, long heyJudeSize = 300_000)
        {
            Music = session.Temp.Sub("music");
            Downloads = Path.Combine(session.Temp.Path, "downloads");
            HeyJude = TempFolder.WriteRandomFile(Music, "The Beatles - Hey Jude.mp3", heyJudeSize, seed: 1);
            Other = TempFolder.WriteRandomFile(Music, "Let It Be.mp3", 120_000, seed: 2);
        }

        public string Music { get; }
        public string Downloads { get; }
        public string HeyJude { get; }
        public string Other { get; }

        public Dictionary<string, object> Variables => new Dictionary<string, object> { ["music"] = Music, ["downloads"] = Downloads };
    }
}
