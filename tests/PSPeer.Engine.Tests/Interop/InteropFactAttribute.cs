using Xunit;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>
    /// A fact that needs real tools: [InteropFact("aria2c", "opentracker")]. Where one is missing locally the test is
    /// reported skipped with what to install; CI installs them all, so there it runs. Tool names are as on PATH, plus
    /// <see cref="Libtorrent.ToolName"/> for Debian's python3 with python3-libtorrent.
    /// </summary>
    public sealed class InteropFactAttribute : FactAttribute
    {
        public InteropFactAttribute(params string[] tools)
        {
            string reason = ExternalTool.MissingReason(tools);
            if (reason != null) Skip = reason;
        }
    }

    /// <summary>The theory form of <see cref="InteropFactAttribute"/>.</summary>
    public sealed class InteropTheoryAttribute : TheoryAttribute
    {
        public InteropTheoryAttribute(params string[] tools)
        {
            string reason = ExternalTool.MissingReason(tools);
            if (reason != null) Skip = reason;
        }
    }
}
