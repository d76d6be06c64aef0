//! seccomp: system calls a sandboxed program has no business making fail with EPERM:
//! sockets other than AF_UNIX (without network; Landlock cannot stop UDP), io_uring (it
//! bypasses the other filters), ptrace and process_vm_*, bpf, perf, kernel modules, mounts,
//! namespaces, keyrings, userfaultfd, and TIOCSTI (typing into someone else's terminal).
//! `clone3` fails with ENOSYS so libc falls back to `clone`, whose flags can be checked.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

/// Always denied, whatever the arguments.
const DENIED: &[libc::c_long] = &[
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_reboot,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_userfaultfd,
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    libc::SYS_fsopen,
    libc::SYS_fsmount,
    libc::SYS_move_mount,
    libc::SYS_open_tree,
];

/// `clone` flags that would create namespaces.
const NAMESPACE_FLAGS: &[libc::c_int] = &[
    libc::CLONE_NEWUSER,
    libc::CLONE_NEWNS,
    libc::CLONE_NEWNET,
    libc::CLONE_NEWPID,
    libc::CLONE_NEWUTS,
    libc::CLONE_NEWIPC,
    libc::CLONE_NEWCGROUP,
];

pub(super) fn install(allow_net: bool) -> Result<(), String> {
    let arch: TargetArch = std::env::consts::ARCH
        .try_into()
        .map_err(|e| format!("architecture: {e:?}"))?;
    let e = |err: seccompiler::BackendError| err.to_string();
    let cond = |arg: u8, op: SeccompCmpOp, v: u64| {
        SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, v).map_err(e)
    };
    let rule = |c: Vec<SeccompCondition>| SeccompRule::new(c).map_err(e);

    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = DENIED.iter().map(|s| (*s, vec![])).collect();
    if !allow_net {
        let not_unix = || cond(0, SeccompCmpOp::Ne, libc::AF_UNIX as u64);
        rules.insert(libc::SYS_socket, vec![rule(vec![not_unix()?])?]);
        rules.insert(libc::SYS_socketpair, vec![rule(vec![not_unix()?])?]);
    }
    let ns: Result<Vec<_>, String> = NAMESPACE_FLAGS
        .iter()
        .map(|f| {
            let bit = *f as u64;
            rule(vec![cond(0, SeccompCmpOp::MaskedEq(bit), bit)?])
        })
        .collect();
    rules.insert(libc::SYS_clone, ns?);
    rules.insert(
        libc::SYS_ioctl,
        vec![
            rule(vec![cond(1, SeccompCmpOp::Eq, libc::TIOCSTI)?])?,
            rule(vec![cond(1, SeccompCmpOp::Eq, libc::TIOCLINUX)?])?,
        ],
    );
    let deny = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(e)?;
    let clone3 = SeccompFilter::new(
        BTreeMap::from([(libc::SYS_clone3, vec![])]),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(e)?;
    for filter in [deny, clone3] {
        let prog: BpfProgram = filter.try_into().map_err(e)?;
        seccompiler::apply_filter(&prog).map_err(|err| err.to_string())?;
    }
    Ok(())
}
