using PSPeer.Host.Session;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    public class ScriptInvocationTests
    {
        [Fact]
        public void Parameter_names_stay_bare_and_everything_else_is_a_literal()
        {
            string text = ScriptInvocation.Build("/tmp/a b/x.ps1", new[] { "-Name", "it's", "-5", "$(evil)", "-Force:" });

            Assert.Equal("& '/tmp/a b/x.ps1' -Name 'it''s' '-5' '$(evil)' -Force:", text);
        }

        [Fact]
        public void No_arguments_invokes_the_script_alone()
        {
            Assert.Equal("& 'x.ps1'", ScriptInvocation.Build("x.ps1", new string[0]));
        }
    }
}
