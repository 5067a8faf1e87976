using System;
using System.Collections;
using System.Management.Automation;
using Xunit;

namespace PSPeer.Module.Tests.Support
{
    /// <summary>
    /// What ConvertTo-Json, Export-Csv and Format-List see of an output object: every property PowerShell lists
    /// (adapted and extended), walked as ConvertTo-Json walks them at its default -Depth 2. An object passes when no
    /// property is an engine handle (a type from PSPeer.Engine other than an enum or PeerEvent, or a property named
    /// like one), and nothing but text, numbers, times and enums sits deeper than depth 2, where ConvertTo-Json would
    /// cut it off with a warning.
    /// </summary>
    public static class PlainObject
    {
        const int JsonDefaultDepth = 2;
        static readonly string[] HandleNames = { "Engine", "Hit", "Metainfo", "Measurement", "Runtime", "Clock", "Storage" };

        public static void AssertPlain(PSObject root)
        {
            Assert.NotNull(root);
            Walk(root.BaseObject.GetType().Name, root, 0);
        }

        static void Walk(string path, PSObject obj, int depth)
        {
            foreach (var property in obj.Properties)
            {
                if (property is PSParameterizedProperty) continue;
                Assert.DoesNotContain(property.Name, HandleNames);
                object value;
                try { value = property.Value; }
                catch (GetValueException) { continue; }
                Value($"{path}.{property.Name}", value, depth + 1);
            }
        }

        static void Value(string path, object value, int depth)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            if (IsScalar(value)) return;
            Assert.True(depth <= JsonDefaultDepth, $"{path} ({value.GetType().FullName}) is deeper than ConvertTo-Json's default depth {JsonDefaultDepth}");
            if (value is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary) Value($"{path}[{entry.Key}]", entry.Value, depth + 1);
                return;
            }
            if (value is IEnumerable sequence)
            {
                int i = 0;
                foreach (var item in sequence) Value($"{path}[{i++}]", item, depth + 1);
                return;
            }
            string ns = value.GetType().Namespace ?? "";
            Assert.False(ns.StartsWith("PSPeer.Engine", StringComparison.Ordinal) && value.GetType().FullName != "PSPeer.Engine.Core.PeerEvent",
                $"{path} is an engine object ({value.GetType().FullName})");
            Assert.True(ns.StartsWith("PSPeer", StringComparison.Ordinal), $"{path} is a {value.GetType().FullName}, not a PSPeer output object");
            Walk(path, PSObject.AsPSObject(value), depth);
        }

        static bool IsScalar(object value) =>
            value == null || value is string || value is Enum || value.GetType().IsPrimitive || value is decimal ||
            value is DateTime || value is DateTimeOffset || value is TimeSpan || value is Guid;
    }
}
