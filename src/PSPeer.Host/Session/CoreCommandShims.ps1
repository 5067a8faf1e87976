# Stand-ins for common cmdlets of Microsoft.PowerShell.Utility and .Management.
#
# The System.Management.Automation package carries only the Core cmdlets (Import-Module, ForEach-Object,
# Where-Object, Out-Default, Get-Help...); Write-Host, Join-Path, Select-Object and the like ship with pwsh itself,
# which cannot be installed here. So that example scripts written for pwsh also run under the PSPeer host, the host
# defines each function below only when no real command of that name exists. They cover the everyday parameters,
# not every one; where pwsh is present, its real cmdlets are used and none of this is loaded.

function Write-Host {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromRemainingArguments = $true)] [object] $Object,
        [switch] $NoNewline,
        [object] $Separator = ' ',
        [System.ConsoleColor] $ForegroundColor,
        [System.ConsoleColor] $BackgroundColor)
    process {
        $text = (@($Object) | ForEach-Object { "$_" }) -join "$Separator"
        if ($NoNewline) { $Host.UI.Write($text) } else { $Host.UI.WriteLine($text) }
    }
}

function Write-Output {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromRemainingArguments = $true)]
        [AllowNull()] [AllowEmptyCollection()] [object[]] $InputObject,
        [switch] $NoEnumerate)
    process {
        foreach ($item in $InputObject) { $PSCmdlet.WriteObject($item, -not $NoEnumerate) }
    }
}

function Write-Error {
    [CmdletBinding(DefaultParameterSetName = 'Message')]
    param(
        [Parameter(ParameterSetName = 'Message', Position = 0, Mandatory = $true, ValueFromPipeline = $true)] [string] $Message,
        [Parameter(ParameterSetName = 'Record', Mandatory = $true)] [System.Management.Automation.ErrorRecord] $ErrorRecord,
        [Parameter(ParameterSetName = 'Exception', Mandatory = $true)] [System.Exception] $Exception,
        [string] $ErrorId = 'Microsoft.PowerShell.Commands.WriteErrorException',
        [System.Management.Automation.ErrorCategory] $Category = 'NotSpecified',
        [object] $TargetObject)
    process {
        $record = switch ($PSCmdlet.ParameterSetName) {
            'Record' { $ErrorRecord }
            'Exception' { [System.Management.Automation.ErrorRecord]::new($Exception, $ErrorId, $Category, $TargetObject) }
            default { [System.Management.Automation.ErrorRecord]::new([System.Exception]::new($Message), $ErrorId, $Category, $TargetObject) }
        }
        $PSCmdlet.WriteError($record)
    }
}

function Write-Warning {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [AllowEmptyString()] [string] $Message)
    process { $PSCmdlet.WriteWarning($Message) }
}

function Write-Verbose {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [AllowEmptyString()] [string] $Message)
    process { $PSCmdlet.WriteVerbose($Message) }
}

function Write-Debug {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [AllowEmptyString()] [string] $Message)
    process { $PSCmdlet.WriteDebug($Message) }
}

function Write-Information {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] [object] $MessageData, [string[]] $Tags)
    process { $PSCmdlet.WriteInformation($MessageData, $Tags) }
}

function Write-Progress {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)] [string] $Activity = 'Processing',
        [Parameter(Position = 1)] [string] $Status = 'Processing',
        [Parameter(Position = 2)] [int] $Id = 0,
        [int] $PercentComplete = -1,
        [int] $SecondsRemaining = -1,
        [string] $CurrentOperation,
        [int] $ParentId = -1,
        [switch] $Completed)
    process {
        $record = [System.Management.Automation.ProgressRecord]::new($Id, $Activity, $(if ($Status) { $Status } else { 'Processing' }))
        $record.PercentComplete = $PercentComplete
        $record.SecondsRemaining = $SecondsRemaining
        if ($CurrentOperation) { $record.CurrentOperation = $CurrentOperation }
        $record.ParentActivityId = $ParentId
        if ($Completed) { $record.RecordType = 'Completed' }
        $PSCmdlet.WriteProgress($record)
    }
}

function Start-Sleep {
    [CmdletBinding(DefaultParameterSetName = 'Seconds')]
    param(
        [Parameter(ParameterSetName = 'Seconds', Position = 0, Mandatory = $true)] [double] $Seconds,
        [Parameter(ParameterSetName = 'Milliseconds', Mandatory = $true)] [int] $Milliseconds)
    $total = if ($PSCmdlet.ParameterSetName -eq 'Seconds') { $Seconds * 1000 } else { $Milliseconds }
    $until = [System.DateTime]::UtcNow.AddMilliseconds($total)
    # Short naps, so that Ctrl+C (PowerShell.Stop) ends the pipeline between them.
    while ([System.DateTime]::UtcNow -lt $until) {
        $left = ($until - [System.DateTime]::UtcNow).TotalMilliseconds
        [System.Threading.Thread]::Sleep([int][System.Math]::Max(1, [System.Math]::Min(50, $left)))
    }
}

function Get-Date {
    [CmdletBinding()]
    param([string] $Format)
    $now = [System.DateTime]::Now
    if ($Format) { $now.ToString($Format) } else { $now }
}

function New-Object {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string] $TypeName,
        [Parameter(Position = 1)] [object[]] $ArgumentList,
        [System.Collections.IDictionary] $Property)
    $type = $TypeName -as [type]
    if (-not $type) { throw [System.Management.Automation.PSArgumentException]::new("Cannot find type [$TypeName].") }
    $instance = if ($ArgumentList) { [System.Activator]::CreateInstance($type, [object[]]$ArgumentList) } else { [System.Activator]::CreateInstance($type) }
    if ($Property) { foreach ($key in $Property.Keys) { $instance.$key = $Property[$key] } }
    $instance
}

function Get-Location {
    [CmdletBinding()] param()
    $ExecutionContext.SessionState.Path.CurrentLocation
}

function Set-Location {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline = $true)] [string] $Path = $HOME, [switch] $PassThru)
    process {
        $location = $ExecutionContext.SessionState.Path.SetLocation($Path)
        if ($PassThru) { $location }
    }
}

function Join-Path {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string[]] $Path,
        [Parameter(Mandatory = $true, Position = 1)] [AllowEmptyString()] [string] $ChildPath,
        [Parameter(Position = 2, ValueFromRemainingArguments = $true)] [string[]] $AdditionalChildPath)
    process {
        foreach ($p in $Path) {
            $result = [System.IO.Path]::Combine($p, $ChildPath.TrimStart('/', '\'))
            foreach ($extra in $AdditionalChildPath) { $result = [System.IO.Path]::Combine($result, $extra.TrimStart('/', '\')) }
            $result
        }
    }
}

function Split-Path {
    [CmdletBinding(DefaultParameterSetName = 'Parent')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string] $Path,
        [Parameter(ParameterSetName = 'Parent')] [switch] $Parent,
        [Parameter(ParameterSetName = 'Leaf')] [switch] $Leaf,
        [Parameter(ParameterSetName = 'Extension')] [switch] $Extension)
    process {
        switch ($PSCmdlet.ParameterSetName) {
            'Leaf' { [System.IO.Path]::GetFileName($Path.TrimEnd('/', '\')) }
            'Extension' { [System.IO.Path]::GetExtension($Path) }
            default { [System.IO.Path]::GetDirectoryName($Path.TrimEnd('/', '\')) }
        }
    }
}

function Resolve-Path {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string[]] $Path)
    process { foreach ($p in $Path) { $ExecutionContext.SessionState.Path.GetResolvedPSPathFromPSPath($p) } }
}

function Test-Path {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [AllowEmptyString()] [string[]] $Path,
        [ValidateSet('Any', 'Container', 'Leaf')] [string] $PathType = 'Any')
    process {
        foreach ($p in $Path) {
            if ([string]::IsNullOrEmpty($p)) { $false; continue }
            $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            switch ($PathType) {
                'Container' { [System.IO.Directory]::Exists($full) }
                'Leaf' { [System.IO.File]::Exists($full) }
                default { [System.IO.File]::Exists($full) -or [System.IO.Directory]::Exists($full) }
            }
        }
    }
}

function Get-Item {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('FullName')] [string[]] $Path)
    process {
        foreach ($p in $Path) {
            $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            if ([System.IO.Directory]::Exists($full)) { [System.IO.DirectoryInfo]::new($full) }
            elseif ([System.IO.File]::Exists($full)) { [System.IO.FileInfo]::new($full) }
            else {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$full' because it does not exist."),
                    'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand', 'ObjectNotFound', $p))
            }
        }
    }
}

function Get-ChildItem {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true)] [string[]] $Path = '.',
        [Parameter(Position = 1)] [string] $Filter = '*',
        [switch] $Recurse, [switch] $File, [switch] $Directory, [switch] $Force)
    process {
        foreach ($p in $Path) {
            $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            if ([System.IO.File]::Exists($full)) { [System.IO.FileInfo]::new($full); continue }
            $option = if ($Recurse) { [System.IO.SearchOption]::AllDirectories } else { [System.IO.SearchOption]::TopDirectoryOnly }
            $dir = [System.IO.DirectoryInfo]::new($full)
            if ($File) { $dir.GetFiles($Filter, $option) }
            elseif ($Directory) { $dir.GetDirectories($Filter, $option) }
            else { $dir.GetFileSystemInfos($Filter, $option) }
        }
    }
}

function New-Item {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string[]] $Path,
        [string] $Name,
        [Alias('Type')] [ValidateSet('File', 'Directory')] [string] $ItemType = 'File',
        [Parameter(ValueFromPipeline = $true)] [object] $Value,
        [switch] $Force)
    process {
        foreach ($p in $Path) {
            $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            if ($Name) { $full = [System.IO.Path]::Combine($full, $Name) }
            if (-not $PSCmdlet.ShouldProcess($full, "Create $ItemType")) { continue }
            if ($ItemType -eq 'Directory') { [System.IO.Directory]::CreateDirectory($full); continue }
            if ([System.IO.File]::Exists($full) -and -not $Force) {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.IO.IOException]::new("The file '$full' already exists."),
                    'NewItemIOError,Microsoft.PowerShell.Commands.NewItemCommand', 'WriteError', $full))
                continue
            }
            $parent = [System.IO.Path]::GetDirectoryName($full)
            if ($Force -and $parent) { [void][System.IO.Directory]::CreateDirectory($parent) }
            [System.IO.File]::WriteAllText($full, $(if ($null -ne $Value) { "$Value" } else { '' }))
            [System.IO.FileInfo]::new($full)
        }
    }
}

function Remove-Item {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('FullName', 'LiteralPath')] [string[]] $Path,
        [switch] $Recurse, [switch] $Force)
    process {
        foreach ($p in $Path) {
            $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            if (-not $PSCmdlet.ShouldProcess($full, 'Remove')) { continue }
            if ([System.IO.Directory]::Exists($full)) { [System.IO.Directory]::Delete($full, [bool]$Recurse) }
            elseif ([System.IO.File]::Exists($full)) { [System.IO.File]::Delete($full) }
            else {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$full' because it does not exist."),
                    'PathNotFound,Microsoft.PowerShell.Commands.RemoveItemCommand', 'ObjectNotFound', $p))
            }
        }
    }
}

function Copy-Item {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('FullName')] [string[]] $Path,
        [Parameter(Mandatory = $true, Position = 1)] [string] $Destination,
        [switch] $Force, [switch] $PassThru)
    process {
        $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Destination)
        foreach ($p in $Path) {
            $source = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            $to = if ([System.IO.Directory]::Exists($target)) { [System.IO.Path]::Combine($target, [System.IO.Path]::GetFileName($source)) } else { $target }
            if (-not $PSCmdlet.ShouldProcess($source, "Copy to $to")) { continue }
            [System.IO.File]::Copy($source, $to, [bool]$Force)
            if ($PassThru) { [System.IO.FileInfo]::new($to) }
        }
    }
}

function Get-Content {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('FullName')] [string[]] $Path,
        [switch] $Raw, [switch] $AsByteStream, [object] $Encoding)
    process {
        foreach ($p in $Path) {
            $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            if ($AsByteStream) { $PSCmdlet.WriteObject([System.IO.File]::ReadAllBytes($full), -not $Raw) }
            elseif ($Raw) { [System.IO.File]::ReadAllText($full) }
            else { [System.IO.File]::ReadAllLines($full) }
        }
    }
}

function Set-Content {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string] $Path,
        [Parameter(Position = 1, ValueFromPipeline = $true)] [AllowEmptyCollection()] [AllowNull()] [object[]] $Value,
        [switch] $NoNewline, [switch] $AsByteStream, [object] $Encoding)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { if ($null -ne $Value) { $items.AddRange([object[]]$Value) } }
    end {
        $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path)
        if (-not $PSCmdlet.ShouldProcess($full, 'Set content')) { return }
        if ($AsByteStream) { [System.IO.File]::WriteAllBytes($full, [byte[]]$items.ToArray()); return }
        $text = if ($NoNewline) { -join $items } else { (($items | ForEach-Object { "$_" }) -join [System.Environment]::NewLine) + [System.Environment]::NewLine }
        [System.IO.File]::WriteAllText($full, $text)
    }
}

function Get-FileHash {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('FullName')] [string[]] $Path,
        [ValidateSet('SHA1', 'SHA256', 'SHA384', 'SHA512', 'MD5')] [string] $Algorithm = 'SHA256')
    process {
        foreach ($p in $Path) {
            $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($p)
            $hasher = [System.Security.Cryptography.HashAlgorithm]::Create($Algorithm)
            if (-not $hasher) {
                $hasher = switch ($Algorithm) {
                    'SHA1' { [System.Security.Cryptography.SHA1]::Create() } 'SHA384' { [System.Security.Cryptography.SHA384]::Create() }
                    'SHA512' { [System.Security.Cryptography.SHA512]::Create() } 'MD5' { [System.Security.Cryptography.MD5]::Create() }
                    default { [System.Security.Cryptography.SHA256]::Create() }
                }
            }
            $stream = [System.IO.File]::OpenRead($full)
            try { $bytes = $hasher.ComputeHash($stream) } finally { $stream.Dispose(); $hasher.Dispose() }
            [pscustomobject]@{ Algorithm = $Algorithm; Hash = [System.BitConverter]::ToString($bytes).Replace('-', ''); Path = $full }
        }
    }
}

function Get-Random {
    [CmdletBinding(DefaultParameterSetName = 'Range')]
    param(
        [Parameter(ParameterSetName = 'Range')] [int] $Minimum = 0,
        [Parameter(ParameterSetName = 'Range', Position = 0)] [int] $Maximum = [int]::MaxValue,
        [Parameter(ParameterSetName = 'List', Mandatory = $true, ValueFromPipeline = $true)] [object[]] $InputObject,
        [int] $SetSeed)
    begin {
        $random = if ($PSBoundParameters.ContainsKey('SetSeed')) { [System.Random]::new($SetSeed) } else { [System.Random]::new() }
        $pool = [System.Collections.Generic.List[object]]::new()
    }
    process { if ($InputObject) { $pool.AddRange($InputObject) } }
    end {
        if ($PSCmdlet.ParameterSetName -eq 'List') { if ($pool.Count) { $pool[$random.Next($pool.Count)] } }
        else { $random.Next($Minimum, $Maximum) }
    }
}

function Select-Object {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject,
        [Parameter(Position = 0)] [object[]] $Property,
        [string] $ExpandProperty,
        [int] $First = -1, [int] $Last = -1, [int] $Skip = 0)
    begin {
        $seen = 0; $emitted = 0
        $tail = [System.Collections.Generic.Queue[object]]::new()
        function Project($item) {
            if ($ExpandProperty) { return $item.$ExpandProperty }
            if (-not $Property) { return $item }
            $shape = [ordered]@{}
            foreach ($p in $Property) {
                if ($p -is [System.Collections.IDictionary]) {
                    $label = if ($p.Contains('Name')) { $p['Name'] } else { $p['Label'] }
                    $expr = if ($p.Contains('Expression')) { $p['Expression'] } else { $p['E'] }
                    $shape[$label] = if ($expr -is [scriptblock]) { $item | ForEach-Object $expr } else { $item.$expr }
                }
                else { $shape["$p"] = $item.$p }
            }
            [pscustomobject]$shape
        }
    }
    process {
        if ($null -eq $InputObject) { return }
        $seen++
        if ($seen -le $Skip) { return }
        if ($Last -ge 0) { $tail.Enqueue($InputObject); if ($tail.Count -gt $Last) { [void]$tail.Dequeue() }; return }
        if ($First -ge 0 -and $emitted -ge $First) { return }
        $emitted++
        Project $InputObject
    }
    end { foreach ($item in $tail) { Project $item } }
}

function Sort-Object {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject,
        [Parameter(Position = 0)] [string[]] $Property,
        [switch] $Descending, [switch] $Unique)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { if ($null -ne $InputObject) { $items.Add($InputObject) } }
    end {
        $key = { param($o) if ($Property) { $o.($Property[0]) } else { $o } }
        $items.Sort([System.Comparison[object]]{ param($x, $y) [System.Management.Automation.LanguagePrimitives]::Compare((& $key $x), (& $key $y), $true) })
        if ($Descending) { $items.Reverse() }
        $sorted = $items
        if ($Unique) {
            $sorted = [System.Collections.Generic.List[object]]::new()
            foreach ($item in $items) {
                if ($sorted.Count -eq 0 -or -not [System.Management.Automation.LanguagePrimitives]::Equals((& $key $item), (& $key $sorted[$sorted.Count - 1]), $true)) { $sorted.Add($item) }
            }
        }
        $sorted
    }
}

function Measure-Object {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject,
        [Parameter(Position = 0)] [string] $Property,
        [switch] $Sum, [switch] $Average, [switch] $Maximum, [switch] $Minimum)
    begin { $values = [System.Collections.Generic.List[double]]::new(); $count = 0 }
    process {
        if ($null -eq $InputObject) { return }
        $count++
        $value = if ($Property) { $InputObject.$Property } else { $InputObject }
        if ($Sum -or $Average -or $Maximum -or $Minimum) { $values.Add([double]$value) }
    }
    end {
        [pscustomobject]@{
            Count    = $count
            Average  = if ($Average -and $values.Count) { [System.Linq.Enumerable]::Average($values) } else { $null }
            Sum      = if ($Sum) { [System.Linq.Enumerable]::Sum($values) } else { $null }
            Maximum  = if ($Maximum -and $values.Count) { [System.Linq.Enumerable]::Max($values) } else { $null }
            Minimum  = if ($Minimum -and $values.Count) { [System.Linq.Enumerable]::Min($values) } else { $null }
            Property = $Property
        }
    }
}

# Format-Table/Format-List stand-ins shape the objects (properties chosen) and let Out-Default lay them out;
# without -Property they pass objects through, so the module's own table views still apply.
function Format-Table {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [Parameter(Position = 0)] [object[]] $Property, [switch] $AutoSize, [switch] $Wrap)
    process { if ($null -ne $InputObject) { if ($Property) { $InputObject | Select-Object -Property $Property } else { $InputObject } } }
}

function Format-List {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [Parameter(Position = 0)] [object[]] $Property)
    process { if ($null -ne $InputObject) { if ($Property) { $InputObject | Select-Object -Property $Property } else { $InputObject } } }
}

# Renders objects with PowerShell's own formatting (Out-Default) while the PSPeer host captures what it would
# have written; only works under the PSPeer host, which is the only place this stand-in is defined.
function Out-String {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [switch] $Stream, [int] $Width)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { if ($null -ne $InputObject) { $items.Add($InputObject) } }
    end {
        $Host.PrivateData.BeginCapture()
        try { $items | Out-Default }
        finally { $text = $Host.PrivateData.EndCapture() }
        if ($Stream) { $text -split "`n" } else { $text }
    }
}

function Out-File {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] [string] $FilePath, [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject, [switch] $Append, [object] $Encoding)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { if ($null -ne $InputObject) { $items.Add($InputObject) } }
    end {
        $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($FilePath)
        $text = $items | Out-String
        if ($Append) { [System.IO.File]::AppendAllText($full, $text) } else { [System.IO.File]::WriteAllText($full, $text) }
    }
}
