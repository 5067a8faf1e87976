using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PSPeer.Pester.Tests
{
    /// <summary>
    /// Asks Pester to discover (not run) each suite in the folder and makes one <see cref="PesterItTestCase"/> per It.
    /// A suite Pester cannot discover, or a folder without suites, becomes one failing test that says why.
    /// </summary>
    public sealed class PesterItDiscoverer : IXunitTestCaseDiscoverer
    {
        readonly IMessageSink _diagnostics;

        public PesterItDiscoverer(IMessageSink diagnosticMessageSink) => _diagnostics = diagnosticMessageSink;

        public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, IAttributeInfo factAttribute)
        {
            var display = options.MethodDisplayOrDefault();
            var displayOptions = options.MethodDisplayOptionsOrDefault();
            string folder = factAttribute.GetNamedArgument<string>(nameof(PesterSuitesAttribute.Folder))
                            ?? (string)factAttribute.GetConstructorArguments().Single();
            IXunitTestCase Case(string suite, int ordinal, string path, string name, string error) =>
                new PesterItTestCase(_diagnostics, display, displayOptions, testMethod, suite, ordinal, path, name, error);

            var cases = new List<IXunitTestCase>();
            try
            {
                var files = PesterSuite.Files(folder);
                if (files.Count == 0) return new[] { Case(folder, -1, "", "(no suites)", "no *.Tests.ps1 file in " + folder) };

                using (var runspace = PesterSuite.OpenRunspace(PesterSuite.RepoRoot))
                {
                    foreach (string file in files)
                    {
                        string suite = Path.GetRelativePath(PesterSuite.RepoRoot, file).Replace('\\', '/');
                        try
                        {
                            var records = PesterSuite.Discover(file, runspace);
                            var its = records.Where(r => r.IsIt).ToList();
                            var broken = records.Where(r => !r.IsIt).ToList();
                            if (its.Count == 0 || broken.Count > 0)
                            {
                                string why = broken.Count > 0 ? string.Join(Environment.NewLine, broken.Select(r => r.Message)) : "the suite has no It";
                                cases.Add(Case(suite, -1, "", "(discovery)", why));
                                continue;
                            }
                            for (int i = 0; i < its.Count; i++) cases.Add(Case(suite, i, its[i].Path, its[i].Name, null));
                        }
                        catch (Exception ex)
                        {
                            cases.Add(Case(suite, -1, "", "(discovery)", ex.GetType().Name + ": " + ex.Message));
                        }
                    }
                }
            }
            catch (Exception ex)
            {
                cases.Add(Case(folder, -1, "", "(discovery)", ex.GetType().Name + ": " + ex.Message));
            }
            return cases;
        }
    }
}
