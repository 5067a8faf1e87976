using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;

namespace PSPeer.Host.Session
{
    /// <summary>
    /// Turns `script.ps1 arg1 -Name value` from the command line into the PowerShell text `& 'script.ps1' 'arg1'
    /// -Name 'value'`. Arguments that look like parameter names stay bare so they bind by name (as with
    /// `pwsh -File`); everything else is a single-quoted literal, so nothing in an argument is ever evaluated.
    /// </summary>
    public static class ScriptInvocation
    {
        static readonly Regex ParameterName = new Regex(@"^-[A-Za-z_][A-Za-z0-9_]*:?$", RegexOptions.CultureInvariant);

        public static string Build(string scriptPath, IEnumerable<string> arguments)
        {
            var text = new StringBuilder("& ").Append(Quote(scriptPath));
            foreach (string argument in arguments ?? Enumerable.Empty<string>())
                text.Append(' ').Append(ParameterName.IsMatch(argument) ? argument : Quote(argument));
            return text.ToString();
        }

        static string Quote(string value) => "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
    }
}
