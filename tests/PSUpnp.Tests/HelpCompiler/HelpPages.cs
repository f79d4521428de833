using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSUpnp.Tests.Support;

namespace PSUpnp.Tests.HelpCompiler
{
    /// <summary>The real pages of docs/help, and scratch folders for pages written by a test.</summary>
    internal static class HelpPages
    {
        public static string Directory => RepoPaths.Combine("docs", "help");

        public static IEnumerable<object[]> CommandPages() =>
            System.IO.Directory.GetFiles(Directory, "*.md")
                .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new object[] { Path.GetFileName(f) });

        public static string Read(string page) => File.ReadAllText(Path.Combine(Directory, page));

        /// <summary>A fresh folder under the system's temp directory, removed by the returned scope.</summary>
        public static ScratchFolder Scratch() => new ScratchFolder();

        /// <summary>A minimal page that follows the schema, for tests that break one thing in it.</summary>
        public const string Minimal = @"---
external help file: PSUpnp.dll-Help.xml
Module Name: PSUpnp
schema: 2.0.0
---

# Get-Thing

## SYNOPSIS
Gets a thing.

## SYNTAX

### __AllParameterSets
```
Get-Thing [-Name] <String> [-Force] [<CommonParameters>]
```

## DESCRIPTION
Gets the thing named.

## EXAMPLES

### Example 1: Get one
```powershell
PS C:\> Get-Thing a
```

Gets a.

## PARAMETERS

### -Force
Forces it.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### -Name
The name.

```yaml
Type: String
Parameter Sets: (All)
Aliases: n

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: True
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
A name.

## OUTPUTS

### System.Object
The thing.

## NOTES
None.

## RELATED LINKS

[Get-Other]()
";
    }

    internal sealed class ScratchFolder : IDisposable
    {
        public ScratchFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "psupnp-help-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string name, string text)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
