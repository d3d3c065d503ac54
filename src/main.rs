fn main() {
    let env = opmodel::cli::Env::from_process();
    let code = opmodel::cli::run(
        std::env::args_os(),
        &env,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
